package dev.switchboard.tls;

/**
 * Which JSSE provider runs the handshakes and the record encryption.
 *
 * <pre>{@code
 * ServerTlsConfig.builder(certificates).provider(TlsProvider.CONSCRYPT).build();   // fail if Conscrypt cannot load
 * }</pre>
 */
public enum TlsProvider {
    /**
     * Conscrypt (BoringSSL) when {@code Conscrypt.isAvailable()}, otherwise the JDK's provider, with one WARN that
     * says why. The default.
     */
    AUTO,
    /** Conscrypt, or {@link IllegalStateException} at context creation when its native library cannot load. */
    CONSCRYPT,
    /** The JDK's own provider (SunJSSE): slower, but pure Java. */
    JDK
}
