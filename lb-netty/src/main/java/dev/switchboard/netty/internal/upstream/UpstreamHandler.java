package dev.switchboard.netty.internal.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection to a real server: hands every event to the exchange that holds the connection,
 * or, while the connection waits in the pool, closes it on anything unexpected (a byte the server should not send,
 * its idle timeout). Not thread-safe: used on the connection's event loop only.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamHandler.class);

    private final PooledListener pooled;
    private UpstreamListener listener;

    UpstreamHandler(PooledListener pooled) {
        this.pooled = pooled;
        this.listener = pooled;
    }

    /** Hands the connection's events to {@code exchange} until {@link #detach()}. */
    void attach(UpstreamListener exchange) {
        this.listener = exchange;
    }

    /** Back to the pool's behaviour: anything but silence closes the connection. */
    void detach() {
        this.listener = pooled;
    }

    boolean isAttached() {
        return listener != pooled;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        listener.onMessage(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        listener.onReadComplete();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            listener.onWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            listener.onIdle();
        } else {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.onClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /** What a connection in the pool does with events: it closes. */
    static final class PooledListener implements UpstreamListener {
        private final io.netty.channel.Channel channel;

        PooledListener(io.netty.channel.Channel channel) {
            this.channel = channel;
        }

        @Override
        public void onMessage(Object message) {
            ReferenceCountUtil.release(message);
            channel.close();
        }

        @Override
        public void onWritable() {
        }

        @Override
        public void onIdle() {
            channel.close();
        }

        @Override
        public void onClosed() {
        }
    }
}
