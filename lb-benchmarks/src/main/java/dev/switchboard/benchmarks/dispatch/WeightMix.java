package dev.switchboard.benchmarks.dispatch;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The weights of a benchmark pool: all equal, or mixed 1..5 drawn from a fixed seed (the same draw in every run
 * and every benchmark, so that our schedulers and the peers see the same pool). Immutable and thread-safe.
 */
public enum WeightMix {

    /** Every server has weight 1. */
    EQUAL,
    /** Weights 1..5 from {@code new SplittableRandom(SEED)}. */
    MIXED;

    /** The seed of the {@link #MIXED} draw. */
    public static final long SEED = 0x5EED_0001L;

    /** The weights of {@code size} servers. */
    public int[] weights(int size) {
        int[] weights = new int[size];
        if (this == EQUAL) {
            Arrays.fill(weights, 1);
            return weights;
        }
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < size; i++) {
            weights[i] = 1 + random.nextInt(5);
        }
        return weights;
    }
}
