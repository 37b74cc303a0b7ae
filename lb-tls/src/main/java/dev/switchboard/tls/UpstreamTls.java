package dev.switchboard.tls;

import dev.switchboard.tls.internal.context.Engines;
import dev.switchboard.tls.internal.context.Providers;
import dev.switchboard.tls.internal.context.ThreadBuffers;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.conscrypt.Conscrypt;

/**
 * Re-encryption towards real servers: client-mode {@link SSLEngine}s that send SNI and verify the server's
 * certificate and host name (unless the configuration is {@link UpstreamTlsConfig.Trust#INSECURE insecure}).
 * Created by {@link TlsContexts#upstream(UpstreamTlsConfig)}.
 *
 * <pre>{@code
 * UpstreamTls upstream = TlsContexts.upstream(UpstreamTlsConfig.builder()
 *     .trustCertificates(Path.of("/etc/lb/internal-ca.pem")).build());
 * SSLEngine engine = upstream.newEngine("ex01.corp.example.com", 443);  // then connect to the real server
 * }</pre>
 *
 * <p>A certificate that does not name {@code serverName} fails the handshake with an {@code SSLHandshakeException}.
 * Close engines fully (see {@link ServerTlsContext}) so that Conscrypt frees their native state at once.
 * Sessions are cached per {@code serverName:port} and resumed. Thread-safe and immutable.
 */
public final class UpstreamTls {

    private final UpstreamTlsConfig config;
    private final SSLContext context;
    private final boolean verifyHostname;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final String[] applicationProtocols;
    private final List<String> jdkGroups;

    UpstreamTls(UpstreamTlsConfig config, SSLContext context) {
        this.config = config;
        this.context = context;
        this.verifyHostname = config.trust() != UpstreamTlsConfig.Trust.INSECURE;
        this.protocols = config.protocols().toArray(new String[0]);
        this.cipherSuites = Engines.cipherSuites(Providers.isConscrypt(context), config.cipherSuites());
        this.applicationProtocols = config.applicationProtocols().toArray(new String[0]);
        this.jdkGroups = Engines.jdkGroupNames(config.namedGroups());
    }

    /**
     * A client-mode engine for a connection to the real server known as {@code serverName} (a DNS name, sent as
     * SNI and checked against the certificate; or an IP literal, checked against the certificate's IP entries).
     */
    public SSLEngine newEngine(String serverName, int port) {
        return newEngine(serverName, port, applicationProtocols);
    }

    /**
     * {@link #newEngine(String, int)} offering {@code applicationProtocols} by ALPN instead of the configured ones
     * (for example {@code h2} alone for a real server spoken to in HTTP/2; none when empty).
     */
    public SSLEngine newEngine(String serverName, int port, String... applicationProtocols) {
        Objects.requireNonNull(serverName, "serverName");
        SSLEngine engine = context.createSSLEngine(serverName, port);
        Engines.setMode(engine, true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        if (cipherSuites.length > 0) {
            parameters.setCipherSuites(cipherSuites);
        }
        if (applicationProtocols.length > 0) {
            parameters.setApplicationProtocols(applicationProtocols);
        }
        if (isHostName(serverName)) {
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
        }
        parameters.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        boolean conscrypt = Providers.isConscrypt(context);
        if (!conscrypt) {
            Engines.applyNamedGroups(parameters, jdkGroups);
        }
        engine.setSSLParameters(parameters);
        if (conscrypt) {
            Conscrypt.setBufferAllocator(engine, ThreadBuffers.INSTANCE);
        }
        return engine;
    }

    public UpstreamTlsConfig config() {
        return config;
    }

    /** {@code Conscrypt} or {@code SunJSSE}. */
    public String providerName() {
        return context.getProvider().getName();
    }

    /** The underlying context (for hosts that need an {@code SSLSocketFactory}). */
    public SSLContext sslContext() {
        return context;
    }

    /** Whether {@code name} can be an SNI host name: not an IP literal, and at least one letter. */
    static boolean isHostName(String name) {
        if (name.isEmpty() || name.indexOf(':') >= 0) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                try {
                    new SNIHostName(name);
                    return true;
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
        }
        return false;
    }
}
