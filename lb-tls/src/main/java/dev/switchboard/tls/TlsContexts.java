package dev.switchboard.tls;

import dev.switchboard.tls.internal.context.ClientKeyManager;
import dev.switchboard.tls.internal.context.Engines;
import dev.switchboard.tls.internal.context.InsecureTrustManager;
import dev.switchboard.tls.internal.context.JdkTrustManager;
import dev.switchboard.tls.internal.context.NoClientTrust;
import dev.switchboard.tls.internal.context.Providers;
import dev.switchboard.tls.internal.context.Settings;
import dev.switchboard.tls.internal.context.SniKeyManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates TLS contexts: {@link #server(ServerTlsConfig)} for termination, {@link #upstream(UpstreamTlsConfig)} for
 * re-encryption. Conscrypt (BoringSSL) runs them when it can load; otherwise, with {@link TlsProvider#AUTO}, the
 * JDK's provider does and one WARN says so.
 *
 * <pre>{@code
 * ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(certificates).build());
 * tls.providerName();   // "Conscrypt"
 * }</pre>
 *
 * <p>Contexts are expensive (a provider context, a session cache): make one per listener or per upstream pool,
 * not per connection. Thread-safe; stateless.
 */
public final class TlsContexts {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {
    }

    /**
     * A server (termination) context.
     *
     * @throws dev.switchboard.api.ConfigurationException when a protocol or cipher suite is not supported by the
     *         provider
     * @throws IllegalStateException when {@link TlsProvider#CONSCRYPT} is asked for and cannot load
     */
    public static ServerTlsContext server(ServerTlsConfig config) {
        return server(config, UnaryOperator.identity());
    }

    /**
     * {@link #server(ServerTlsConfig)}, with the provider handed {@code keyManagerView.apply(keyManager)} instead
     * of the key manager itself: for tests, to see which key and chain a real handshake gets.
     */
    static ServerTlsContext server(ServerTlsConfig config, UnaryOperator<X509ExtendedKeyManager> keyManagerView) {
        SSLContext context = newContext(config.provider());
        boolean conscrypt = Providers.isConscrypt(context);
        // On Conscrypt the key manager holds every private key in Conscrypt's native form (converted once, here and
        // at each reload), so that no handshake parses a PKCS#8 encoding into a new BoringSSL key.
        SniKeyManager<SniKeys> keyManager = new SniKeyManager<>(new SniKeys(config.certificates()),
                conscrypt ? context.getProvider() : null);
        init(context, new KeyManager[] {keyManagerView.apply(keyManager)},
                new TrustManager[] {new NoClientTrust()});
        Settings.requireSupported(context, config.protocols(), config.cipherSuites());
        sessionCache(context.getServerSessionContext(), config.sessionCacheSize(),
                config.sessionTimeout().getSeconds());
        Engines.applyNamedGroups(context, config.namedGroups());
        log.info("TLS termination on {}: {}, groups {}, ALPN {}", context.getProvider().getName(),
                config.certificates(), config.namedGroups(), config.applicationProtocols());
        return new ServerTlsContext(config, context, keyManager);
    }

    /**
     * An upstream (re-encryption) context.
     *
     * @throws dev.switchboard.api.ConfigurationException when a protocol or cipher suite is not supported by the
     *         provider
     * @throws IllegalStateException when {@link TlsProvider#CONSCRYPT} is asked for and cannot load
     */
    public static UpstreamTls upstream(UpstreamTlsConfig config) {
        SSLContext context = newContext(config.provider());
        KeyManager[] keyManagers = config.findClientCertificate()
                .map(c -> new KeyManager[] {new ClientKeyManager(c.certifiedKey())}).orElse(new KeyManager[0]);
        init(context, keyManagers, trustManagers(config));
        Settings.requireSupported(context, config.protocols(), config.cipherSuites());
        sessionCache(context.getClientSessionContext(), config.sessionCacheSize(),
                config.sessionTimeout().getSeconds());
        Engines.applyNamedGroups(context, config.namedGroups());
        if (config.trust() == UpstreamTlsConfig.Trust.INSECURE) {
            log.warn("INSECURE upstream TLS: real servers' certificates and host names are NOT verified; anyone on"
                    + " the path can read and change this traffic. Lab use only.");
        } else {
            log.info("upstream TLS on {}: trust {}{}, client certificate {}", context.getProvider().getName(),
                    config.trust(), config.trustSource().isEmpty() ? "" : " from " + config.trustSource(),
                    config.findClientCertificate().map(TlsCertificate::source).orElse("none"));
        }
        return new UpstreamTls(config, context);
    }

    /** Whether Conscrypt's native library loads on this machine. */
    public static boolean conscryptAvailable() {
        return Providers.conscryptAvailable();
    }

    /** A new, uninitialized {@code TLS} context on the provider {@code choice} resolves to. */
    private static SSLContext newContext(TlsProvider choice) {
        return switch (choice) {
            case CONSCRYPT -> Providers.newConscryptContext();
            case AUTO -> Providers.newPreferredContext();
            case JDK -> Providers.newJdkContext();
        };
    }

    private static TrustManager[] trustManagers(UpstreamTlsConfig config) {
        if (config.trust() == UpstreamTlsConfig.Trust.INSECURE) {
            return new TrustManager[] {new InsecureTrustManager()};
        }
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (config.trust() == UpstreamTlsConfig.Trust.SYSTEM_ROOTS) {
                factory.init((KeyStore) null);
            } else {
                factory.init(keyStoreOf(config.trustedCertificates()));
            }
            TrustManager[] managers = factory.getTrustManagers();
            for (int i = 0; i < managers.length; i++) {
                if (managers[i] instanceof X509ExtendedTrustManager) {
                    managers[i] = new JdkTrustManager((X509ExtendedTrustManager) managers[i]);
                }
            }
            return managers;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the upstream trust managers: " + e.getMessage(), e);
        }
    }

    private static KeyStore keyStoreOf(List<java.security.cert.X509Certificate> certificates)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("ca-" + i, certificates.get(i));
        }
        return store;
    }

    private static void init(SSLContext context, KeyManager[] keyManagers, TrustManager[] trustManagers) {
        try {
            context.init(keyManagers, trustManagers, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialize the TLS context: " + e.getMessage(), e);
        }
    }

    private static void sessionCache(SSLSessionContext sessions, int size, long timeoutSeconds) {
        sessions.setSessionCacheSize(size);
        sessions.setSessionTimeout((int) timeoutSeconds);
    }
}
