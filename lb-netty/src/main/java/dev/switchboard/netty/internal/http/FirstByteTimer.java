package dev.switchboard.netty.internal.http;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.TimeUnit;

/**
 * The first-byte timer of one upstream connection, shared by the exchanges that use it one after the other: arming
 * sets a deadline and an owner instead of scheduling a task per request. At most one task is pending per
 * connection; when it runs before the deadline (the deadline moved on with a later request) it schedules itself for
 * the rest. This relies on one connection's timeout being the same for every request (one pool per listener, so
 * deadlines only move forward and the pending task never wakes after the current deadline). Event loop only.
 */
final class FirstByteTimer implements Runnable {

    private static final AttributeKey<FirstByteTimer> KEY = AttributeKey.valueOf(FirstByteTimer.class, "timer");

    private final Channel channel;
    private UpstreamExchange owner;
    private long deadline;
    private boolean pending;

    private FirstByteTimer(Channel channel) {
        this.channel = channel;
    }

    /** The connection's timer, created on first use. */
    static FirstByteTimer of(Channel upstream) {
        FirstByteTimer timer = upstream.attr(KEY).get();
        if (timer == null) {
            timer = new FirstByteTimer(upstream);
            upstream.attr(KEY).set(timer);
        }
        return timer;
    }

    /** {@code exchange} times out unless {@link #disarm} comes within {@code nanos}. */
    void arm(UpstreamExchange exchange, long nanos) {
        owner = exchange;
        deadline = System.nanoTime() + nanos;
        if (!pending) {
            pending = true;
            channel.eventLoop().schedule(this, nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** No timeout for {@code exchange} (nothing happens when another exchange owns the timer now). */
    void disarm(UpstreamExchange exchange) {
        if (owner == exchange) {
            owner = null;
        }
    }

    @Override
    public void run() {
        pending = false;
        UpstreamExchange o = owner;
        if (o == null) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            pending = true;
            channel.eventLoop().schedule(this, left, TimeUnit.NANOSECONDS);
            return;
        }
        owner = null;
        o.firstByteTimeout();
    }
}
