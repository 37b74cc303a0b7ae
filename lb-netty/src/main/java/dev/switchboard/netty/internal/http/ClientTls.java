package dev.switchboard.netty.internal.http;

import dev.switchboard.tls.ServerTlsContext;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;

/**
 * TLS termination on an accepted connection: the {@link SslHandler} over a new engine of the listener's context,
 * and, on Conscrypt, the channel's {@link DirectAllocator} so that records are sealed into and opened from native
 * memory without a copy through the heap. Thread-safe (immutable).
 */
final class ClientTls {

    private final ServerTlsContext tls;
    private final boolean direct;

    ClientTls(ServerTlsContext tls) {
        this.tls = tls;
        this.direct = "Conscrypt".equals(tls.providerName());
    }

    /** Adds the handler as {@code "tls"} at the end of {@code ch}'s pipeline. */
    void addTo(Channel ch, Duration handshakeTimeout) {
        if (direct) {
            ch.config().setAllocator(new DirectAllocator(ch.config().getAllocator()));
        }
        SslHandler ssl = new SslHandler(tls.newEngine());
        ssl.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()));
        ch.pipeline().addLast("tls", ssl);
    }
}
