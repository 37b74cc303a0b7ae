package dev.switchboard.netty.internal.proxyprotocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.util.Objects;

/**
 * Writes one {@link ProxyHeader} as the very first bytes of a connection to a real server, with Netty's
 * {@link HAProxyMessageEncoder}, then leaves the pipeline. Put first in the pipeline ({@link #addFirst}): the header
 * is written from this handler's place, under every other handler, so that it goes out in clear before a TLS
 * handshake (re-encryption) and before any byte the exchange writes. On a channel that is already connected it is
 * written at once; otherwise when the channel becomes active, before {@code channelActive} goes on to the handlers
 * behind it (so a TLS handler starts its handshake after it). {@link #sent} completes when the header is written.
 *
 * <p>One per connection; event loop only.
 */
public final class ProxyHeaderSender extends ChannelInboundHandlerAdapter {

    /** The pipeline name. */
    public static final String NAME = "proxy-header";

    private static final AttributeKey<Future<Void>> SENT = AttributeKey.valueOf(ProxyHeaderSender.class, "sent");

    private final ProxyHeader header;
    private ChannelPromise sent;

    private ProxyHeaderSender(ProxyHeader header) {
        this.header = Objects.requireNonNull(header, "header");
    }

    /** Puts a sender of {@code header} first in {@code channel}'s pipeline; on an active channel it sends at once. */
    public static void addFirst(Channel channel, ProxyHeader header) {
        channel.pipeline().addFirst(NAME, new ProxyHeaderSender(header));
    }

    /**
     * The write of the header on {@code channel} (complete once it is in the socket's send buffer, failed if the
     * connection failed first); a succeeded future when no sender was added to {@code channel}.
     */
    public static Future<Void> sent(Channel channel) {
        Future<Void> sent = channel.attr(SENT).get();
        return sent == null ? channel.eventLoop().newSucceededFuture(null) : sent;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        sent = ctx.newPromise();
        ctx.channel().attr(SENT).set(sent);
        if (ctx.channel().isActive()) {
            send(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        send(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        sent.tryFailure(new java.nio.channels.ClosedChannelException());
        ctx.fireChannelInactive();
    }

    private void send(ChannelHandlerContext ctx) {
        HAProxyMessage message = header.toMessage();
        try {
            HAProxyMessageEncoder.INSTANCE.write(ctx, message, sent); // encodes, releases, writes towards the socket
        } catch (Exception e) { // the encoder throws only for a message it cannot encode; ours are valid
            sent.tryFailure(e);
            ctx.close();
            return;
        }
        ctx.flush();
        ctx.pipeline().remove(this);
    }
}
