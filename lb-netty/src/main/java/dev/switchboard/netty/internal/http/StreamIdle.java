package dev.switchboard.netty.internal.http;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The idle timer of the streams of one HTTP/2 client connection: a stream that has neither received nor sent a
 * frame for {@code timeouts.clientIdle} is told it is idle ({@link ClientStream#idle()}), as an HTTP/1.1 connection
 * is by its idle timer, so its request decides: a request waiting for the real server's first byte stays (the
 * first-byte timer's business), any other stream is reset with RST_STREAM(CANCEL) and its lease released, while
 * the connection's other streams go on. One timer per connection, not per stream: it walks the open streams (a
 * list threaded through them, so a stream costs no allocation here), runs only while some stream is open, and
 * stops when the connection closes. Event loop only.
 */
final class StreamIdle {

    private final Channel connection;
    private final long timeoutNanos;
    private ClientStream first;
    private ScheduledFuture<?> timer;
    private boolean closed;

    StreamIdle(Channel connection, long timeoutNanos) {
        this.connection = connection;
        this.timeoutNanos = Math.max(1, timeoutNanos);
        connection.closeFuture().addListener(f -> stop());
    }

    /** A stream opened (its clock starts now). */
    void add(ClientStream stream) {
        stream.idleNext = first;
        stream.idlePrevious = null;
        if (first != null) {
            first.idlePrevious = stream;
        }
        first = stream;
        if (timer == null && !closed) {
            timer = connection.eventLoop().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A stream closed. */
    void remove(ClientStream stream) {
        if (stream.idlePrevious != null) {
            stream.idlePrevious.idleNext = stream.idleNext;
        } else if (first == stream) {
            first = stream.idleNext;
        }
        if (stream.idleNext != null) {
            stream.idleNext.idlePrevious = stream.idlePrevious;
        }
        stream.idleNext = null;
        stream.idlePrevious = null;
    }

    private void check() {
        timer = null;
        if (closed || first == null) {
            return; // the next stream starts the timer again
        }
        long now = System.nanoTime();
        long next = timeoutNanos;
        ClientStream s = first;
        while (s != null) {
            ClientStream after = s.idleNext; // idle() may close the stream, which takes it off the list
            long silent = now - s.lastActivity;
            if (silent >= timeoutNanos) {
                s.lastActivity = now; // told again after every further timeout of silence
                s.idle();
            } else {
                next = Math.min(next, timeoutNanos - silent);
            }
            s = after;
        }
        if (first != null && !closed) {
            timer = connection.eventLoop().schedule(this::check, next, TimeUnit.NANOSECONDS);
        }
    }

    private void stop() {
        closed = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
