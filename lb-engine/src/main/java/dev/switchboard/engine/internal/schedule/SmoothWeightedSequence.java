package dev.switchboard.engine.internal.schedule;

/**
 * Builds the table that {@link WeightedRoundRobinScheduler} walks: one cycle of nginx's smooth weighted round
 * robin. Every step adds each server's weight to its current value, takes the server with the highest current
 * value (the lowest index on a tie) and subtracts the total weight from it. Weights 5, 1, 1 give
 * {@code a a b a c a a}: the heavy server's slots are spread between the others instead of coming in one burst.
 *
 * <p>The weights are first divided by their greatest common divisor. When the cycle would still be longer than
 * {@link #MAX_LENGTH}, the weights are scaled down proportionally (rounded down, every positive weight kept at
 * 1 or more) so that it is not. Servers of weight 0 (or less) get no slot.
 *
 * <p>Runs on the control plane, in {@code O(length * servers)}. Stateless and thread-safe.
 */
final class SmoothWeightedSequence {

    /** The longest cycle built, unless there are more servers of positive weight than this. */
    static final int MAX_LENGTH = 4096;

    private SmoothWeightedSequence() {
    }

    /**
     * One cycle of the smooth sequence for {@code weights}.
     *
     * @return server indexes, each server appearing as often as its (reduced) weight; empty when no weight is
     *     positive
     */
    static int[] of(int[] weights) {
        int[] reduced = reduce(weights);
        int length = 0;
        for (int w : reduced) {
            length += w;
        }
        int[] sequence = new int[length];
        long[] current = new long[reduced.length];
        for (int step = 0; step < length; step++) {
            int best = -1;
            for (int i = 0; i < reduced.length; i++) {
                if (reduced[i] > 0) {
                    current[i] += reduced[i];
                    if (best < 0 || current[i] > current[best]) {
                        best = i;
                    }
                }
            }
            current[best] -= length;
            sequence[step] = best;
        }
        return sequence;
    }

    /** The weights divided by their gcd and, if their sum is above {@link #MAX_LENGTH}, scaled down to fit it. */
    static int[] reduce(int[] weights) {
        int[] reduced = new int[weights.length];
        int gcd = 0;
        int positive = 0;
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                reduced[i] = weights[i];
                gcd = gcd(gcd, weights[i]);
                positive++;
                total += weights[i];
            }
        }
        if (positive == 0) {
            return reduced;
        }
        total /= gcd;
        for (int i = 0; i < reduced.length; i++) {
            reduced[i] /= gcd;
        }
        if (total <= MAX_LENGTH) {
            return reduced;
        }
        // Each weight rounds down to at least 1: the sum stays within budget + positive <= MAX_LENGTH.
        long budget = Math.max(MAX_LENGTH - positive, 0);
        int scaledGcd = 0;
        for (int i = 0; i < reduced.length; i++) {
            if (reduced[i] > 0) {
                reduced[i] = (int) Math.max(1, reduced[i] * budget / total);
                scaledGcd = gcd(scaledGcd, reduced[i]);
            }
        }
        for (int i = 0; i < reduced.length; i++) {
            reduced[i] /= scaledGcd;
        }
        return reduced;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
