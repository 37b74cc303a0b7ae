package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.ServerSet;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A pool for concurrent scheduler tests: active counts and eligibility in atomic arrays, so that many threads can
 * lease, release and flip eligibility while others pick. Weights and ramps are fixed. Thread-safe.
 */
final class ConcurrentServerSet implements ServerSet {

    private final int[] weights;
    private final AtomicIntegerArray active;
    private final AtomicIntegerArray eligible;

    ConcurrentServerSet(int[] weights) {
        this.weights = weights.clone();
        this.active = new AtomicIntegerArray(weights.length);
        this.eligible = new AtomicIntegerArray(weights.length);
        for (int i = 0; i < weights.length; i++) {
            eligible.set(i, 1);
        }
    }

    void eligible(int i, boolean value) {
        eligible.set(i, value ? 1 : 0);
    }

    void lease(int i) {
        active.incrementAndGet(i);
    }

    void release(int i) {
        active.decrementAndGet(i);
    }

    @Override
    public int size() {
        return weights.length;
    }

    @Override
    public boolean isEligible(int i) {
        return eligible.get(i) == 1;
    }

    @Override
    public int weight(int i) {
        return weights[i];
    }

    @Override
    public int rampPermille(int i) {
        return FULL_RAMP;
    }

    @Override
    public int activeConnections(int i) {
        return active.get(i);
    }

    @Override
    public long id(int i) {
        return i;
    }
}
