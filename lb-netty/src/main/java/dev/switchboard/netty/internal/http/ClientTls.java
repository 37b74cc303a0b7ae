package dev.switchboard.netty.internal.http;

import dev.switchboard.tls.ServerTlsContext;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;

/**
 * TLS termination on an accepted connection: the {@link SslHandler} over a new engine of the listener's context,
 * with the handshake bounded. The connection's buffers come from Netty's pooled allocator: with it the gateway spent
 * 0.95x the CPU per request over TLS keep-alive (the JDK-type path's 16 KB heap wrap buffers and their copies), while
 * for every channel of the process it cost 1.07x in plain HTTP (docs/benchmarks.md, session 12). (A direct-only
 * allocator for Conscrypt was measured: 0.94x on a loaded machine, 1.05-1.10x on a quiet one, and 1.005 in session
 * 13; not kept. Netty's adaptive allocator with its per-thread caches, which the gateway now keeps, measured the
 * same as the pooled one here: 1.003.) Thread-safe (immutable).
 */
final class ClientTls {

    private final ServerTlsContext tls;

    ClientTls(ServerTlsContext tls) {
        this.tls = tls;
    }

    /** Adds the handler as {@code "tls"} at the end of {@code ch}'s pipeline. */
    void addTo(Channel ch, Duration handshakeTimeout) {
        ch.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        SslHandler ssl = new SslHandler(tls.newEngine());
        ssl.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()));
        ch.pipeline().addLast("tls", ssl);
    }
}
