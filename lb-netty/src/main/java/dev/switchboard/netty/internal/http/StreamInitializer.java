package dev.switchboard.netty.internal.http;

import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.InetAddress;

/**
 * The pipeline of one HTTP/2 request stream: {@link StreamCodec} (frames to HTTP/1.1 messages and back, under the
 * connection's {@link StreamIdle} timer) and a {@link ClientConnection} of its own, so each stream is dispatched,
 * routed and forwarded on its own, exactly as an HTTP/1.1 request is. The stream reads one frame per read and only
 * when its request asks (auto-read off), so a request body's bytes are taken, and the stream's window given back,
 * only as fast as the real server takes them. One per client connection (it carries that connection's client
 * facts); runs on its loop.
 */
final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {

    private final ProxyContext context;
    private final InetAddress peer;
    private final String tlsServerName;
    private final String tlsSessionId;
    private final StreamIdle idle;

    StreamInitializer(ProxyContext context, InetAddress peer, String tlsServerName, String tlsSessionId,
            StreamIdle idle) {
        this.context = context;
        this.idle = idle;
        this.peer = peer;
        this.tlsServerName = tlsServerName;
        this.tlsSessionId = tlsSessionId;
    }

    @Override
    protected void initChannel(Http2StreamChannel ch) {
        ch.config().setAutoRead(false);
        ch.config().setMaxMessagesPerRead(1);
        ClientConnection connection = new ClientConnection(context, StreamFraming.INSTANCE);
        connection.inherit(peer, tlsServerName, tlsSessionId);
        ch.pipeline().addLast("codec", new StreamCodec(idle)).addLast("proxy", connection);
        ClientRequestLimit.addIfCounted(ch, context, peer); // behind a trusted proxy: requests per forwarded client
    }
}
