package dev.switchboard.tls.internal.context;

import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code TLS} contexts on Conscrypt or on the JDK's provider, one method per choice of the API's
 * {@code TlsProvider}. Conscrypt is instantiated once, privately: this library never installs a provider into the
 * JVM-wide list. Thread-safe.
 */
public final class Providers {

    private static final Logger log = LoggerFactory.getLogger(Providers.class);
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private Providers() {
    }

    /** Lazily loaded Conscrypt, or the reason it cannot load. */
    private static final class ConscryptHolder {
        static final Provider PROVIDER;
        static final Throwable FAILURE;

        static {
            Provider provider = null;
            Throwable failure = null;
            try {
                Conscrypt.checkAvailability();
                provider = Conscrypt.newProvider();
            } catch (Throwable t) {   // UnsatisfiedLinkError, NoClassDefFoundError: natives for another platform
                failure = t;
            }
            PROVIDER = provider;
            FAILURE = failure;
        }
    }

    /** Whether Conscrypt's native library loaded on this machine. */
    public static boolean conscryptAvailable() {
        return ConscryptHolder.PROVIDER != null;
    }

    /**
     * A new, uninitialized {@code TLS} context on Conscrypt.
     *
     * @throws IllegalStateException when Conscrypt cannot load on this machine
     */
    public static SSLContext newConscryptContext() {
        if (!conscryptAvailable()) {
            throw new IllegalStateException("TlsProvider.CONSCRYPT requested, but Conscrypt cannot load: "
                    + ConscryptHolder.FAILURE, ConscryptHolder.FAILURE);
        }
        return conscryptContext();
    }

    /**
     * A new, uninitialized {@code TLS} context on Conscrypt when it loads, otherwise on the JDK's provider (logging
     * once, at WARN, why).
     */
    public static SSLContext newPreferredContext() {
        if (conscryptAvailable()) {
            return conscryptContext();
        }
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
            log.warn("Conscrypt is not available ({}); TLS falls back to the JDK provider, expect handshakes"
                    + " several times slower", String.valueOf(ConscryptHolder.FAILURE));
        }
        return newJdkContext();
    }

    /** A new, uninitialized {@code TLS} context on the JDK's provider ({@code SunJSSE} when present). */
    public static SSLContext newJdkContext() {
        try {
            try {
                return SSLContext.getInstance("TLS", "SunJSSE");
            } catch (NoSuchProviderException e) {
                return SSLContext.getInstance("TLS");
            }
        } catch (NoSuchAlgorithmException e) {
            throw noContext("the JDK provider", e);
        }
    }

    /** Whether {@code context} runs on Conscrypt. */
    public static boolean isConscrypt(SSLContext context) {
        return conscryptAvailable() && Conscrypt.isConscrypt(context);
    }

    /** Whether {@code engine} is a Conscrypt engine (no native call). */
    public static boolean isConscrypt(SSLEngine engine) {
        return conscryptAvailable() && Conscrypt.isConscrypt(engine);
    }

    /** Conscrypt's provider; only when {@link #conscryptAvailable()}. */
    static Provider conscrypt() {
        return ConscryptHolder.PROVIDER;
    }

    private static SSLContext conscryptContext() {
        try {
            return SSLContext.getInstance("TLS", ConscryptHolder.PROVIDER);
        } catch (NoSuchAlgorithmException e) {
            throw noContext("Conscrypt", e);
        }
    }

    private static IllegalStateException noContext(String provider, NoSuchAlgorithmException e) {
        return new IllegalStateException("no TLS SSLContext on " + provider + ": " + e.getMessage(), e);
    }
}
