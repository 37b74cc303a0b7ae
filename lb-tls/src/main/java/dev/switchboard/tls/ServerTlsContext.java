package dev.switchboard.tls;

import dev.switchboard.tls.internal.context.Engines;
import dev.switchboard.tls.internal.context.Providers;
import dev.switchboard.tls.internal.context.SniKeyManager;
import dev.switchboard.tls.internal.context.ThreadBuffers;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's TLS termination: creates server-mode {@link SSLEngine}s that choose their certificate by SNI, and
 * swaps certificates without a restart. Created by {@link TlsContexts#server(ServerTlsConfig)}.
 *
 * <pre>{@code
 * ServerTlsContext tls = TlsContexts.server(config);
 * SSLEngine engine = tls.newEngine();            // per accepted connection (Netty: new SslHandler(engine))
 * ...
 * String sessionId = TlsSessions.sessionId(engine);   // after the handshake, for persistence
 * tls.reload();                                  // e.g. on SIGHUP: new handshakes get the new certificates
 * }</pre>
 *
 * <p>Give Conscrypt engines direct buffers where you can: with heap buffers Conscrypt copies every record through a
 * direct buffer (here one per thread, shared by the engines that thread runs, instead of one per engine). End a
 * connection as TLS wants it, {@code closeOutbound()}, wrap until {@code isOutboundDone()}, {@code closeInbound()}
 * (Netty's {@code SslHandler} does): Conscrypt frees an engine's native SSL object and the two file descriptors it
 * holds only then, otherwise only when a GC finalizes the engine. Thread-safe: {@link #newEngine()} reads one
 * volatile reference; {@link #reload()} is synchronized. One session cache serves every certificate; a resumed
 * session keeps the certificate it was made with.
 */
public final class ServerTlsContext {

    private static final Logger log = LoggerFactory.getLogger(ServerTlsContext.class);

    private final ServerTlsConfig config;
    private final SSLContext context;
    private final SniKeyManager<SniKeys> keyManager;
    private final boolean conscrypt;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final String[] applicationProtocols;
    private final List<String> jdkGroups;

    ServerTlsContext(ServerTlsConfig config, SSLContext context, SniKeyManager<SniKeys> keyManager) {
        this.config = config;
        this.context = context;
        this.keyManager = keyManager;
        this.conscrypt = Providers.isConscrypt(context);
        this.protocols = config.protocols().toArray(new String[0]);
        this.cipherSuites = Engines.cipherSuites(Providers.isConscrypt(context), config.cipherSuites());
        this.applicationProtocols = config.applicationProtocols().toArray(new String[0]);
        this.jdkGroups = Engines.jdkGroupNames(config.namedGroups());
    }

    /** A server-mode engine for a new connection. */
    public SSLEngine newEngine() {
        return configure(context.createSSLEngine());
    }

    /** A server-mode engine for a new connection from {@code peerHost:peerPort} (informational for the engine). */
    public SSLEngine newEngine(String peerHost, int peerPort) {
        return configure(context.createSSLEngine(Objects.requireNonNull(peerHost, "peerHost"), peerPort));
    }

    private SSLEngine configure(SSLEngine engine) {
        Engines.setMode(engine, false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        if (cipherSuites.length > 0) {
            parameters.setCipherSuites(cipherSuites);
        }
        if (applicationProtocols.length > 0) {
            parameters.setApplicationProtocols(applicationProtocols);
        }
        parameters.setUseCipherSuitesOrder(true);
        if (!conscrypt) {
            Engines.applyNamedGroups(parameters, jdkGroups);
        }
        engine.setSSLParameters(parameters);
        if (conscrypt) {
            Conscrypt.setUseSessionTickets(engine, config.sessionTickets());
            Conscrypt.setBufferAllocator(engine, ThreadBuffers.INSTANCE);
        }
        return engine;
    }

    /**
     * Reads every certificate file again and makes the result the certificates of new handshakes. Connections
     * already established, and handshakes already past certificate selection, are not affected.
     *
     * @return the certificates now in use
     * @throws TlsConfigurationException naming the file that cannot be loaded; the old certificates stay in use
     */
    public synchronized SniCertificates reload() {
        SniCertificates fresh;
        try {
            fresh = certificates().reload();
        } catch (RuntimeException e) {
            log.warn("certificate reload failed, keeping the certificates in use: {}", e.getMessage());
            throw e;
        }
        return reload(fresh);
    }

    /** Makes {@code certificates} the certificates of new handshakes. */
    public synchronized SniCertificates reload(SniCertificates certificates) {
        keyManager.publish(new SniKeys(Objects.requireNonNull(certificates, "certificates")));
        log.info("TLS certificates now in use: {}", certificates);
        return certificates;
    }

    /** The certificates new handshakes choose from. */
    public SniCertificates certificates() {
        return keyManager.certificates().certificates();
    }

    /** The configuration this context was made from (its certificates as first loaded). */
    public ServerTlsConfig config() {
        return config;
    }

    /** The provider's name: {@code Conscrypt} or {@code SunJSSE}. */
    public String providerName() {
        return context.getProvider().getName();
    }

    /**
     * The underlying context, for hosts that need sockets ({@code sslContext().getServerSocketFactory()}); its
     * engines and sockets do not get this configuration's protocols, suites and ALPN unless the host applies them.
     */
    public SSLContext sslContext() {
        return context;
    }
}
