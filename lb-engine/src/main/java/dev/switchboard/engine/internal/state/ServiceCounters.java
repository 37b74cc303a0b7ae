package dev.switchboard.engine.internal.state;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a virtual service or sub-service that survive reconfiguration while it keeps its name: only the
 * outcomes that no real server counts (answers by the engine, redirects, sorry server, waits). Request totals are
 * derived from these and the servers' counters when stats are read, so a dispatch pays for no extra atomic add.
 * Thread-safe.
 */
public final class ServiceCounters {

    private final LongAdder redirects = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder queued = new LongAdder();
    private final LongAdder sorry = new LongAdder();

    public void redirected() {
        redirects.increment();
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

    public long redirectCount() {
        return redirects.sum();
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
