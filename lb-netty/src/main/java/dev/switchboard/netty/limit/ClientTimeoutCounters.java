package dev.switchboard.netty.limit;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one HTTP(S) listener counted of clients that were too slow: request heads that missed
 * {@code timeouts.requestHead} and request bodies that fell below {@code timeouts.requestBodyMinRate}. Counted on
 * the event loops, read from anywhere; thread-safe.
 *
 * <pre>{@code
 * long cut = proxy.clientTimeouts().requestHeadTimeouts();
 * }</pre>
 */
public final class ClientTimeoutCounters {

    private final LongAdder requestHead = new LongAdder();
    private final LongAdder requestBody = new LongAdder();

    /** Connections closed because a request head did not arrive in time (with a 408 when part of it had). */
    public long requestHeadTimeouts() {
        return requestHead.sum();
    }

    /** Requests cut (408, or a close once the response had started) because their body came too slowly. */
    public long requestBodyTimeouts() {
        return requestBody.sum();
    }

    /** Counts one request cut for a late head (called by the proxy). */
    public void countRequestHead() {
        requestHead.increment();
    }

    /** Counts one request cut for a slow body (called by the proxy). */
    public void countRequestBody() {
        requestBody.increment();
    }

    @Override
    public String toString() {
        return "ClientTimeoutCounters[requestHead=" + requestHeadTimeouts() + ", requestBody=" + requestBodyTimeouts()
                + "]";
    }
}
