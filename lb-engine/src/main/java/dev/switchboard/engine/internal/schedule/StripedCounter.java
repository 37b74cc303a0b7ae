package dev.switchboard.engine.internal.schedule;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A round-robin position split into stripes, one cache line pair each, so that threads picking from the same
 * pool do not fight over one counter. A thread always uses the stripe given by the low bits of its id, so the
 * threads of a worker pool (created one after the other, consecutive ids) land on distinct stripes.
 *
 * <p>A stripe is read and written with plain (opaque) accesses, not atomic read-modify-writes: a stripe belongs,
 * in practice, to one thread, the way Envoy gives each worker its own load-balancer state. Two threads that do
 * share a stripe may both read the same position and pick the same server once; that skews nothing over many
 * picks and costs no lock-prefixed instruction on every pick.
 *
 * <p>Each stripe starts at a different offset of the sequence it walks ({@code stripe * spread / stripes}), so
 * that threads starting together do not all begin with the first server. Each stripe walks the whole sequence,
 * so over many picks every position gets the same share, within one pick per stripe. (A stripe's count wraps
 * after 2^31 picks, where one position may repeat.)
 *
 * <p>Lock-free, allocation-free, thread-safe in the sense above.
 */
final class StripedCounter {

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(int[].class);
    /** Ints per stripe: 128 bytes, so that neither a stripe nor the adjacent-line prefetcher shares a line. */
    private static final int PAD = 32;
    /** The stripes of a counter unless told otherwise: four per processor, 8..128. */
    static final int DEFAULT_STRIPES = stripes(Runtime.getRuntime().availableProcessors());

    private final int[] cells;
    private final int mask;

    /**
     * @param spread the length of the sequence the counter walks (e.g. the pool size), for the starting offsets;
     *               values below 1 start every stripe at 0
     */
    StripedCounter(int spread) {
        this(spread, DEFAULT_STRIPES);
    }

    /**
     * @param spread as above
     * @param stripes a power of two, at least 1 (checked by {@link SchedulerSettings}); with 1 every thread shares
     *                one position, which starts at 0
     */
    StripedCounter(int spread, int stripes) {
        cells = new int[(stripes + 1) * PAD];
        mask = stripes - 1;
        int length = Math.max(spread, 1);
        for (int s = 0; s < stripes; s++) {
            cells[(s + 1) * PAD] = (int) ((long) s * length / stripes);
        }
        VarHandle.releaseFence(); // publish the offsets with the counter
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
        int slot = slot();
        int raw = (int) CELLS.getOpaque(cells, slot);
        CELLS.setOpaque(cells, slot, raw + 1);
        int v = raw & Integer.MAX_VALUE;
        return (bound & (bound - 1)) == 0 ? v & (bound - 1) : v % bound;
    }

    /**
     * Moves the current thread's stripe on by {@code delta} positions, after a pick that had to skip that many
     * (ineligible or slow-starting) positions, so that the next pick starts behind the chosen one and skipped
     * positions do not hand their share to whichever position follows them.
     */
    void advance(int delta) {
        int slot = slot();
        CELLS.setOpaque(cells, slot, (int) CELLS.getOpaque(cells, slot) + delta);
    }

    private int slot() {
        return (((int) Thread.currentThread().getId() & mask) + 1) * PAD;
    }
}
