package dev.switchboard.micrometer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed-bucket latency histogram for the request path: exact counts and sum, striped so that threads releasing
 * leases on the same server do not fight over one cache line, and without allocation once each stripe a thread
 * uses exists.
 *
 * <p>Each stripe is a {@code long[]} of its own, allocated on the first record of a thread that maps to it (the low
 * bits of the thread's id, so a pool's threads, created one after the other, land on distinct stripes): the bucket
 * counts (one per bound, then {@code +Inf}) and the sum of nanoseconds, between {@value #PAD} longs of padding on
 * each side so that no other stripe or object shares (or prefetches with) its lines. Two threads that share a stripe
 * still count exactly: every add is an atomic {@code getAndAdd}. The count is the sum of the buckets, so a
 * snapshot's count and buckets always agree; its sum may miss an observation being recorded at that moment.
 *
 * <p>The bucket of a value is found by arithmetic: a table indexed by the value's binary magnitude (its highest set
 * bit) gives the first bound that can hold it, and at most a few comparisons follow (none when no two bounds share a
 * power of two), instead of a binary search over all bounds.
 *
 * <p>Thread-safe, lock-free.
 */
final class StripedHistogram {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(long[][].class);
    /** Longs of padding before and after a stripe's counters: 128 bytes, two cache lines. */
    static final int PAD = 16;
    /**
     * Stripes unless told otherwise: four per processor, 8..128 (a power of two). Only the slots exist up front; a
     * stripe's counters are allocated when a thread first records into it, so memory follows the threads in use.
     */
    static final int DEFAULT_STRIPES = stripes(Runtime.getRuntime().availableProcessors());

    private final long[] bounds;
    /** By the value's highest set bit ({@code 64 - numberOfLeadingZeros}): the first bucket that can hold it. */
    private final byte[] firstCandidate = new byte[65];
    private final long[][] stripes;
    private final int mask;
    private final int sumIndex;

    /**
     * @param boundsNanos the finite upper bounds, ascending and positive (checked by {@link LatencySnapshot}); at most
     *                    126
     * @param stripes a power of two, 1..1024
     */
    StripedHistogram(long[] boundsNanos, int stripes) {
        if (boundsNanos.length > 126) {
            throw new IllegalArgumentException("bounds: " + boundsNanos.length + " (expected: at most 126)");
        }
        if (stripes < 1 || stripes > 1024 || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes: " + stripes + " (expected: a power of two, 1..1024)");
        }
        this.bounds = boundsNanos.clone();
        this.stripes = new long[stripes][];
        this.mask = stripes - 1;
        this.sumIndex = PAD + bounds.length + 1;
        for (int bits = 0; bits <= 64; bits++) {
            // the smallest value with this highest bit: 0 for bits 0, else 2^(bits-1) (as unsigned for bits 64)
            long smallest = bits == 0 ? 0 : 1L << (bits - 1);
            int i = 0;
            while (i < bounds.length && Long.compareUnsigned(smallest, bounds[i]) > 0) {
                i++;
            }
            firstCandidate[bits] = (byte) i;
        }
        VarHandle.releaseFence();
    }

    static int stripes(int processors) {
        int wanted = Math.min(Math.max(processors * 4, 8), 128);
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /** Records one observation; a negative value counts as 0. */
    void record(long nanos) {
        long v = Math.max(0, nanos);
        int i = firstCandidate[64 - Long.numberOfLeadingZeros(v)];
        long[] b = bounds;
        while (i < b.length && v > b[i]) {
            i++;
        }
        long[] stripe = stripe();
        LONGS.getAndAdd(stripe, PAD + i, 1L);
        LONGS.getAndAdd(stripe, sumIndex, v);
    }

    private long[] stripe() {
        int s = (int) Thread.currentThread().getId() & mask;
        long[] stripe = (long[]) STRIPES.getAcquire(stripes, s);
        return stripe != null ? stripe : newStripe(s);
    }

    private long[] newStripe(int s) {
        long[] fresh = new long[sumIndex + 1 + PAD];
        long[] won = (long[]) STRIPES.compareAndExchangeRelease(stripes, s, null, fresh);
        return won == null ? fresh : won;
    }

    /** The counts and sum so far: buckets summed over the stripes, then made cumulative. */
    LatencySnapshot snapshot() {
        long[] cumulative = new long[bounds.length + 1];
        long sum = 0;
        for (int s = 0; s < stripes.length; s++) {
            long[] stripe = (long[]) STRIPES.getAcquire(stripes, s);
            if (stripe == null) {
                continue;
            }
            for (int i = 0; i < cumulative.length; i++) {
                cumulative[i] += (long) LONGS.getOpaque(stripe, PAD + i);
            }
            sum += (long) LONGS.getOpaque(stripe, sumIndex);
        }
        for (int i = 1; i < cumulative.length; i++) {
            cumulative[i] += cumulative[i - 1];
        }
        return new LatencySnapshot(bounds, cumulative, sum);
    }
}
