package dev.switchboard.netty.internal.upstream;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Hands decoded messages on one per {@code read()} while auto-read is off, so that a handler sees exactly what it
 * asked for even when one socket read decodes into several messages (a response head and its body, pipelined
 * requests). The handler may call {@code read()} again from inside {@code channelRead}: that is the normal way to
 * ask for the next message. With auto-read on, messages pass straight through. A close is passed on after the
 * messages that came before it ({@code holdCloseForMessages}, for a body that ends with the connection), or at once
 * with the queue dropped (a client that went away). A held close waits for the handler's reads only until the
 * channel deregisters: Netty then removes every handler of a closed channel's pipeline, so what is still queued is
 * handed over at once, then the close (an HTTP/2 stream channel whose stream ended delivers all its frames in one
 * read and closes right after; a client that cannot take them yet would otherwise never see the last of them).
 * {@link #watchForClose} keeps reading the socket without handing anything over, so that a peer's close is seen
 * while nothing is asked of it; it stops at the first message.
 * Not thread-safe: one per channel, used on its event loop.
 *
 * <pre>{@code
 * UpstreamCodec.addTo(pipeline, config);
 * pipeline.addLast(new OneMessagePerRead(true), handler);   // then ctx.read() per message
 * }</pre>
 */
public final class OneMessagePerRead extends ChannelDuplexHandler {

    private final ArrayDeque<Object> queue = new ArrayDeque<>(4);
    private final boolean holdCloseForMessages;
    private boolean wanted;
    private boolean watching;
    private int queuedAtWatch;
    private boolean draining;
    private boolean inactive;
    private boolean unregistering;
    private ChannelHandlerContext ctx;

    /** @param holdCloseForMessages whether a close waits until the messages before it were handed over */
    public OneMessagePerRead(boolean holdCloseForMessages) {
        this.holdCloseForMessages = holdCloseForMessages;
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        wanted = true;
        watching = false;
        drain(ctx);
    }

    /**
     * Reads from the socket without handing a message over, until one arrives or the peer closes. For a handler that
     * waits on the other side but must notice this side going away.
     */
    public void watchForClose() {
        if (ctx != null) {
            watching = true;
            queuedAtWatch = queue.size();
            ctx.read();
        }
    }

    /**
     * Hands every message still queued to the next handler at once, whatever was asked for: for a connection that
     * stops being HTTP (an upgrade), before this handler leaves its pipeline.
     */
    public void handOver() {
        Object msg;
        while (ctx != null && (msg = queue.poll()) != null) {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
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
        if (watching && !wanted && queue.size() == queuedAtWatch && ctx.channel().isActive()) {
            ctx.read(); // nothing new: keep watching
        } else {
            watching = false;
        }
        if (queue.isEmpty()) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        if (!holdCloseForMessages) {
            handlerRemoved(ctx);
        }
        drain(ctx);
    }

    /**
     * The channel closed and leaves its loop: its pipeline's handlers are removed right after this event, so the
     * messages still held for a close go now, whether asked for or not, and then the close.
     */
    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        if (inactive) {
            unregistering = true;
            drain(ctx);
        }
        ctx.fireChannelUnregistered();
    }

    private void drain(ChannelHandlerContext ctx) {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (;;) {
                while (!queue.isEmpty() && (wanted || unregistering || ctx.channel().config().isAutoRead())) {
                    wanted = false;
                    ctx.fireChannelRead(queue.poll());
                }
                if (queue.isEmpty() && inactive) {
                    inactive = false;
                    wanted = false;
                    ctx.fireChannelInactive();
                    return;
                }
                if (!wanted || !queue.isEmpty() || !ctx.channel().isActive()) {
                    return;
                }
                ctx.read();
                if (queue.isEmpty()) {
                    return; // a socket's read completes later; an HTTP/2 stream's may deliver within read()
                }
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
