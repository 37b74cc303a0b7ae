package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.ClientAddress;
import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionLimiter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * What a refused connection's handler does whatever the protocol ({@link RefusedConnection} for HTTP/1.1,
 * {@link RefusedHttp2}): the client's address (the PROXY-carried one where there is one), a timer that closes the
 * connection when no request comes, and exactly one access-log line, for the first request or for the close. Not
 * sharable: one per connection, on its loop.
 */
abstract class RefusalHandler extends ChannelInboundHandlerAdapter {

    /** Why the connection is refused: the status to answer with and the limit to log. */
    final Admission why;
    private final ConnectionLimiter limiter;
    private final long waitNanos;
    private InetAddress peer;
    private ScheduledFuture<?> timer;
    private boolean answered;

    RefusalHandler(ConnectionLimiter limiter, Admission why, long waitNanos) {
        this.limiter = limiter;
        this.why = why;
        this.waitNanos = Math.max(1, waitNanos);
    }

    /** Notes the client's address and starts the timer that closes a connection whose first request is late. */
    final void start(ChannelHandlerContext ctx) {
        ClientAddress.findRemote(ctx.channel()).ifPresent(remote -> peer = remote.getAddress()); // PROXY: carried
        timer = ctx.executor().schedule(() -> ctx.close(), waitNanos, TimeUnit.NANOSECONDS);
    }

    /** Whether the first request has been answered. */
    final boolean answered() {
        return answered;
    }

    /** The first request came: stops the timer and logs the refusal with its request line. */
    final void answering(String requestLine) {
        answered = true;
        timer.cancel(false);
        limiter.logRefusal(why, peer, requestLine);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        if (!answered) {
            answered = true;
            limiter.logRefusal(why, peer, "-");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
