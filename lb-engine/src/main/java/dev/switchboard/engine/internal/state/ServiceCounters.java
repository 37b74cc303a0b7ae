package dev.switchboard.engine.internal.state;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a virtual service or sub-service that survive reconfiguration while it keeps its name.
 * Thread-safe.
 */
public final class ServiceCounters {

    private final LongAdder requests = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder queued = new LongAdder();
    private final LongAdder sorry = new LongAdder();

    public void request() {
        requests.increment();
    }

    /** A request answered by the engine itself (4xx, 503). */
    public void rejected() {
        rejected.increment();
    }

    public void queued() {
        queued.increment();
    }

    public void sorry() {
        sorry.increment();
    }

    public long requests() {
        return requests.sum();
    }

    public long rejectedCount() {
        return rejected.sum();
    }

    public long queuedCount() {
        return queued.sum();
    }

    public long sorryCount() {
        return sorry.sum();
    }
}
