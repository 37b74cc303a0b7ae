package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.ServerSet;
import java.util.Arrays;

/**
 * An array-backed pool for scheduler tests: every server starts eligible, at full ramp, with no connections.
 * The test changes it between picks. Not thread-safe for writes; concurrent tests only read it.
 */
final class TestServerSet implements ServerSet {

    private final boolean[] eligible;
    private final int[] weights;
    private final int[] ramps;
    private final int[] active;
    private final long[] ids;

    private TestServerSet(int[] weights) {
        int n = weights.length;
        this.weights = weights.clone();
        this.eligible = new boolean[n];
        this.ramps = new int[n];
        this.active = new int[n];
        this.ids = new long[n];
        Arrays.fill(eligible, true);
        Arrays.fill(ramps, FULL_RAMP);
        for (int i = 0; i < n; i++) {
            ids[i] = ("real-server-" + i).hashCode() * 0x9E3779B97F4A7C15L + i;
        }
    }

    /** {@code size} servers of weight 1. */
    static TestServerSet ofSize(int size) {
        int[] weights = new int[size];
        Arrays.fill(weights, 1);
        return new TestServerSet(weights);
    }

    /** One server per weight. */
    static TestServerSet ofWeights(int... weights) {
        return new TestServerSet(weights);
    }

    TestServerSet eligible(int i, boolean value) {
        eligible[i] = value;
        return this;
    }

    TestServerSet allEligible(boolean value) {
        Arrays.fill(eligible, value);
        return this;
    }

    TestServerSet ramp(int i, int permille) {
        ramps[i] = permille;
        return this;
    }

    TestServerSet active(int i, int connections) {
        active[i] = connections;
        return this;
    }

    void connect(int i) {
        active[i]++;
    }

    void disconnect(int i) {
        active[i]--;
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
        return ramps[i];
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
