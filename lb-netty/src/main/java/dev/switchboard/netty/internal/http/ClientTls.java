package dev.switchboard.netty.internal.http;

import dev.switchboard.tls.ServerTlsContext;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;

/**
 * TLS termination on an accepted connection: the {@link SslHandler} over a new engine of the listener's context,
 * with the handshake bounded. (A direct-only allocator for Conscrypt was measured: 0.94x the CPU per request on a
 * loaded machine, 1.05-1.10x on a quiet one; not kept, docs/benchmarks.md.) Thread-safe (immutable).
 */
final class ClientTls {

    private final ServerTlsContext tls;

    ClientTls(ServerTlsContext tls) {
        this.tls = tls;
    }

    /** Adds the handler as {@code "tls"} at the end of {@code ch}'s pipeline. */
    void addTo(Channel ch, Duration handshakeTimeout) {
        SslHandler ssl = new SslHandler(tls.newEngine());
        ssl.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()));
        ch.pipeline().addLast("tls", ssl);
    }
}
