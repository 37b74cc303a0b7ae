package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.api.spi.ServerSet;
import java.util.SplittableRandom;

/**
 * A fixed pool for scheduler benchmarks: every server eligible and at full ramp, configured weights, and active
 * connection counts drawn once from a fixed seed (0..15) so that least-connection schedulers have something to
 * compare. Nothing changes after construction, so a pick measures the scheduler alone, not the engine's
 * {@code Pool} and {@code ServerState} reads. Immutable and thread-safe.
 */
public final class ArrayServerSet implements ServerSet {

    private final boolean[] eligible;
    private final int[] weights;
    private final int[] active;
    private final long[] ids;

    private ArrayServerSet(int[] weights, long seed) {
        int n = weights.length;
        this.weights = weights.clone();
        this.eligible = new boolean[n];
        this.active = new int[n];
        this.ids = new long[n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            eligible[i] = true;
            active[i] = random.nextInt(16);
            ids[i] = random.nextLong();
        }
    }

    /** A pool with these weights; active counts and ids from {@code seed}. */
    public static ArrayServerSet of(int[] weights, long seed) {
        return new ArrayServerSet(weights, seed);
    }

    @Override
    public int size() {
        return weights.length;
    }

    @Override
    public boolean isEligible(int i) {
        return eligible[i];
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
        return active[i];
    }

    @Override
    public long id(int i) {
        return ids[i];
    }
}
