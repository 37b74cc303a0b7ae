package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.internal.upstream.Http1Decoder;
import dev.switchboard.netty.internal.upstream.LineHeaders;
import dev.switchboard.netty.internal.upstream.StartLines;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client side's request decoder ({@link Http1Decoder}: byte-level, strict, bad requests handed on as a failed
 * message that the proxy answers 400, 414 or 431), timing request heads: a head must be decoded in full within
 * {@code timeouts.requestHead} of its first byte (of the accept, for a connection's first request), else
 * {@link HeadTimeout} goes down the pipeline. The decoder knows exactly where a message ends, so bytes that follow a
 * request's end start the next head's clock, while a connection that waits between requests with nothing sent is
 * left to the idle timeout. A head that comes in one read costs no timer.
 *
 * <p>After a request that asks to switch protocols ({@link Upgrades#asked}) the decoder holds what follows
 * undecoded (it may be WebSocket frames sent early, not HTTP): removed from the pipeline when the upgrade is done,
 * it hands those bytes on as they are; when the upgrade is not done, {@link #endHold()} says whether any came (the
 * connection then closes after the answer). At most {@link #MAX_HELD} bytes are held; more closes the connection.
 * Not thread-safe: one per channel, used on its event loop.
 */
final class ClientRequestDecoder extends Http1Decoder implements Runnable {

    /** The event sent down the pipeline when a request head is late. */
    record HeadTimeout(boolean bytesSeen) {
    }

    /** The most bytes held after an upgrade request before its answer. */
    static final int MAX_HELD = 65_536;

    private final long headNanos;
    private ChannelHandlerContext ctx;
    private boolean upgradeAsked;
    private boolean holding;
    private boolean inMessage;
    private boolean headBytes;
    private boolean timing;
    private boolean overdue;
    private long started;
    private long deadline;
    private ScheduledFuture<?> task;

    /** @param headNanos the longest a request head may take (at least 1) */
    ClientRequestDecoder(HttpDecoderConfig config, long headNanos) {
        super(config);
        if (headNanos < 1) {
            throw new IllegalArgumentException("headNanos: " + headNanos + " (expected: >= 1)");
        }
        this.headNanos = headNanos;
    }

    @Override
    protected HttpMessage startLine(byte[] line, int end, LineHeaders headers) {
        return StartLines.request(line, end, headers);
    }

    @Override
    protected HttpMessage failed(HttpMessage partial, Exception cause) {
        return partial != null ? partial : new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET,
                "/bad-request", Unpooled.EMPTY_BUFFER);
    }

    @Override
    protected boolean isRequest() {
        return true;
    }

    /** A WebSocket draft-76 handshake (a GET with both key headers) carries 8 bytes without a Content-Length. */
    @Override
    protected long impliedLength(HttpMessage head) {
        return ((HttpRequest) head).method().equals(HttpMethod.GET)
                && head.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY1)
                && head.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY2) ? 8 : -1;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startClock(ctx); // the first request's head is due within the deadline of the accept
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        timing = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) {
        if (holding) { // left in the cumulation: handed on raw when the decoder leaves the pipeline
            if (buffer.readableBytes() > MAX_HELD) {
                throw new DecoderException("more than " + MAX_HELD + " bytes before the upgrade was answered");
            }
            return;
        }
        if (!inMessage) {
            headBytes = true; // called with bytes only: between messages they start a head
        }
        int before = out.size();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            Object m = out.get(i);
            if (m instanceof HttpRequest head) {
                inMessage = true;
                headBytes = false;
                timing = false;
                overdue = false;
                upgradeAsked = Upgrades.asked(head);
            }
            if (m instanceof LastHttpContent) {
                inMessage = false;
                if (upgradeAsked) { // one message per decode call: nothing after it is decoded yet
                    upgradeAsked = false;
                    holding = true;
                }
            }
        }
        if (headBytes && !timing && !overdue) {
            startClock(ctx);
        }
    }

    /**
     * The upgrade asked for was not done: decode again from the next read. Returns whether bytes came after the
     * upgrade request (they are not trusted to be HTTP: the caller closes the connection).
     */
    boolean endHold() {
        boolean held = holding && internalBuffer().isReadable();
        holding = false;
        return held;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        timing = false; // the connection became a tunnel: no head is due any more
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    /** Whether a request head is in progress and past its deadline (the timeout event has gone out). */
    boolean headOverdue() {
        return overdue;
    }

    /** When the clock of the last timed head started ({@link System#nanoTime()}). */
    long headStartedNanos() {
        return started;
    }

    private void startClock(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        timing = true;
        started = System.nanoTime();
        deadline = started + headNanos;
        if (task == null) {
            task = ctx.executor().schedule(this, headNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The deadline task: at most one pending; when the deadline moved on it waits for the rest. */
    @Override
    public void run() {
        task = null;
        if (!timing || !ctx.channel().isActive()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            task = ctx.executor().schedule(this, left, TimeUnit.NANOSECONDS);
            return;
        }
        timing = false;
        overdue = true;
        ctx.fireUserEventTriggered(new HeadTimeout(headBytes));
    }
}
