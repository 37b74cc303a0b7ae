package dev.switchboard.examples.gateway.upstream;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Hands decoded messages on one per {@code read()} while auto-read is off, so that a handler sees exactly what it
 * asked for even when one socket read decodes into several messages (a response head and its body, pipelined
 * requests). The handler may call {@code read()} again from inside {@code channelRead}: that is the normal way to
 * ask for the next message. A close is passed on only after the messages that came before it. With auto-read on,
 * messages pass straight through. Not thread-safe: one per channel, used on its event loop.
 *
 * <pre>{@code
 * pipeline.addLast(new HttpClientCodec(), new OneMessagePerRead(), handler);   // then ctx.read() per message
 * }</pre>
 */
public final class OneMessagePerRead extends ChannelDuplexHandler {

    private final ArrayDeque<Object> queue = new ArrayDeque<>(4);
    private boolean wanted;
    private boolean draining;
    private boolean inactive;

    @Override
    public void read(ChannelHandlerContext ctx) {
        wanted = true;
        drain(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        queue.add(msg);
        if (ctx.channel().config().isAutoRead()) {
            wanted = true;
        }
        drain(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (queue.isEmpty()) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        drain(ctx);
    }

    private void drain(ChannelHandlerContext ctx) {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!queue.isEmpty() && (wanted || ctx.channel().config().isAutoRead())) {
                wanted = false;
                ctx.fireChannelRead(queue.poll());
            }
            if (queue.isEmpty() && inactive) {
                inactive = false;
                wanted = false;
                ctx.fireChannelInactive();
            } else if (wanted && queue.isEmpty() && ctx.channel().isActive()) {
                ctx.read();
            }
        } finally {
            draining = false;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Object msg;
        while ((msg = queue.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
