package dev.switchboard.netty.internal.http;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The minimum rate of one request body ({@code timeouts.requestBodyMinRate} over {@code timeouts.requestBodyWindow}):
 * each window in which the gateway reads the body must bring at least rate times window bytes, or the exchange is
 * told {@link UpstreamExchange#bodyTooSlow()}. Time in which the gateway does not read (the real server does not
 * take the body: back-pressure) is nobody's fault of the client's: measuring pauses, and a new window starts when
 * reading resumes. One task per window at most; a body that ends within its first window costs one schedule and one
 * cancel. Event loop only.
 */
final class RequestBodyRate implements Runnable {

    private final UpstreamExchange exchange;
    private final EventLoop loop;
    private final long windowNanos;
    private final long minBytes;
    private long bytes;
    private long windowStart;
    private boolean running;
    private boolean stopped;
    private ScheduledFuture<?> task;

    RequestBodyRate(UpstreamExchange exchange, EventLoop loop, long windowNanos, long minBytes) {
        this.exchange = exchange;
        this.loop = loop;
        this.windowNanos = windowNanos;
        this.minBytes = minBytes;
    }

    /** Starts (or resumes) measuring with a fresh window; nothing when measuring already or stopped. */
    void start() {
        if (running || stopped) {
            return;
        }
        running = true;
        bytes = 0;
        windowStart = System.nanoTime();
        if (task == null) {
            task = loop.schedule(this, windowNanos, TimeUnit.NANOSECONDS);
        }
    }

    void add(long n) {
        bytes += n;
    }

    /** The gateway stops reading the body for now (the real server is not taking it). */
    void pause() {
        running = false;
    }

    /** The body is in, or the exchange is over. */
    void stop() {
        stopped = true;
        running = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public void run() {
        task = null;
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        long elapsed = now - windowStart;
        if (elapsed < windowNanos) { // the window restarted after a pause
            task = loop.schedule(this, windowNanos - elapsed, TimeUnit.NANOSECONDS);
            return;
        }
        if (bytes < minBytes) {
            stop();
            exchange.bodyTooSlow();
            return;
        }
        bytes = 0;
        windowStart = now;
        task = loop.schedule(this, windowNanos, TimeUnit.NANOSECONDS);
    }
}
