package dev.switchboard.engine.internal.schedule;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A round-robin position split into stripes, one cache line pair each, so that threads picking from the same
 * pool do not fight over one counter. A thread always uses the stripe given by the low bits of its id, so the
 * threads of a worker pool (created one after the other, consecutive ids) land on distinct stripes; two threads
 * that share a stripe still count correctly, they only contend.
 *
 * <p>Each stripe starts at a different offset of the sequence it walks ({@code stripe * spread / stripes}), so
 * that threads starting together do not all begin with the first server. Each stripe walks the whole sequence,
 * so over many picks every position gets the same share, within one pick per stripe. (A stripe's count wraps
 * after 2^31 picks, where one position may repeat.)
 *
 * <p>Lock-free (one atomic add per call), allocation-free, thread-safe.
 */
final class StripedCounter {

    /** Ints per stripe: 128 bytes, so that neither a stripe nor the adjacent-line prefetcher shares a line. */
    private static final int PAD = 32;
    private static final int STRIPES = stripes(Runtime.getRuntime().availableProcessors());
    private static final int MASK = STRIPES - 1;

    private final AtomicIntegerArray cells;

    /**
     * @param spread the length of the sequence the counter walks (e.g. the pool size), for the starting offsets;
     *               values below 1 start every stripe at 0
     */
    StripedCounter(int spread) {
        cells = new AtomicIntegerArray((STRIPES + 1) * PAD);
        int length = Math.max(spread, 1);
        for (int s = 0; s < STRIPES; s++) {
            cells.set((s + 1) * PAD, (int) ((long) s * length / STRIPES));
        }
    }

    /** The number of stripes: a power of two, four per processor, at least 8 and at most 128. */
    static int stripes(int processors) {
        int wanted = Math.min(Math.max(processors * 4, 8), 128);
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /**
     * Takes the next position of the current thread's stripe.
     *
     * @param bound the length of the sequence, at least 1
     * @return a position in {@code 0..bound-1}
     */
    int next(int bound) {
        int v = cells.getAndIncrement(slot()) & Integer.MAX_VALUE;
        return (bound & (bound - 1)) == 0 ? v & (bound - 1) : v % bound;
    }

    /**
     * Moves the current thread's stripe on by {@code delta} positions, after a pick that had to skip that many
     * (ineligible or slow-starting) positions, so that the next pick starts behind the chosen one and skipped
     * positions do not hand their share to whichever position follows them.
     */
    void advance(int delta) {
        cells.getAndAdd(slot(), delta);
    }

    private static int slot() {
        return (((int) Thread.currentThread().getId() & MASK) + 1) * PAD;
    }
}
