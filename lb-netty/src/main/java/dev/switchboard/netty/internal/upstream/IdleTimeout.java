package dev.switchboard.netty.internal.upstream;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} when a connection has neither read nor been written to for
 * {@code timeout}, and again after every further {@code timeout} of silence; a read in progress counts as activity.
 * Netty's {@code IdleStateHandler} does the same but counts a write when it completes, which costs a promise and a
 * listener per write; here a write counts when it is issued. A write that never completes therefore does not keep
 * the connection alive, and the proxy issues no writes to a peer that does not take them (back-pressure), so a
 * stuck peer is still seen as idle after {@code timeout}. Not thread-safe: one per channel, used on its loop.
 *
 * <pre>{@code
 * pipeline.addLast("idle", new IdleTimeout(Duration.ofSeconds(60).toNanos()));  // then userEventTriggered
 * }</pre>
 */
public final class IdleTimeout extends ChannelDuplexHandler {

    private final long timeoutNanos;
    private long lastActivity;
    private boolean reading;
    private ScheduledFuture<?> timer;
    private boolean destroyed;

    /** @param timeoutNanos the silence that makes a connection idle (at least 1) */
    public IdleTimeout(long timeoutNanos) {
        if (timeoutNanos < 1) {
            throw new IllegalArgumentException("timeoutNanos: " + timeoutNanos + " (expected: >= 1)");
        }
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reading) {
            lastActivity = System.nanoTime();
            reading = false;
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastActivity = System.nanoTime();
        ctx.write(msg, promise);
    }

    private void start(ChannelHandlerContext ctx) {
        if (timer != null || destroyed) {
            return;
        }
        lastActivity = System.nanoTime();
        timer = ctx.executor().schedule(() -> check(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        destroyed = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void check(ChannelHandlerContext ctx) {
        if (destroyed || !ctx.channel().isOpen()) {
            return;
        }
        long left = reading ? timeoutNanos : timeoutNanos - (System.nanoTime() - lastActivity);
        if (left > 0) {
            timer = ctx.executor().schedule(() -> check(ctx), left, TimeUnit.NANOSECONDS);
            return;
        }
        timer = ctx.executor().schedule(() -> check(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }
}
