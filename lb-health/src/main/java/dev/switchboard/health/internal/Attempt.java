package dev.switchboard.health.internal;

import dev.switchboard.health.HealthCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/** One probe in flight; apart from {@code to} (set by the resolver), touched only by the selector thread. */
final class Attempt {
    final HealthCheck check;
    final Consumer<ProbeOutcome> callback;
    final long start;
    final long deadline;
    volatile InetSocketAddress to;
    boolean timed;
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer buffer;
    HttpTargetState target;
    HttpExchange http;
    boolean connected;
    boolean reused;
    boolean retried;
    boolean done;

    Attempt(HealthCheck check, Consumer<ProbeOutcome> callback, long start) {
        this.check = check;
        this.callback = callback;
        this.start = start;
        this.deadline = start + check.timeout().toNanos();
    }

    /**
     * Closes the socket, or keeps it for the next probe after a success that allows it, and reports, once; later
     * calls do nothing.
     */
    void finish(ProbeOutcome outcome) {
        if (done) {
            return;
        }
        done = true;
        if (target != null) {
            if (outcome.success() && http != null && http.keepAlive() && key != null && target.keep(key)) {
                channel = null; // kept
            }
            target.done(http);
        }
        close();
        try {
            callback.accept(outcome);
        } catch (RuntimeException e) {
            // the checker's callback only hands the outcome on; a closed checker may refuse it
        }
    }

    void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do: the probe is over
            }
        }
    }
}
