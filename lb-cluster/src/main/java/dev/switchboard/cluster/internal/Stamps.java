package dev.switchboard.cluster.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Write stamps of one member: wall-clock milliseconds since 2020 in the high 42 bits (a signed long: positive until
 * 2089), a counter of the writes within that millisecond in the next 10, the member's 12-bit tag in the low ones.
 * Strictly increasing on this member: up to 1,024 writes share a millisecond; a 1,025th borrows the next one, so a member's stamps run
 * ahead of its clock only while it writes more than a million times a second. Comparing stamps of two members
 * orders their writes by wall clock, then by counter and tag. Thread-safe (one CAS per write).
 */
public final class Stamps {

    static final int TAG_BITS = 12;
    static final int COUNTER_BITS = 10;
    static final int MILLIS_SHIFT = TAG_BITS + COUNTER_BITS;
    /** 2020-01-01T00:00:00Z in Unix milliseconds. */
    static final long EPOCH_MILLIS = 1_577_836_800_000L;

    private final LongSupplier wallMillis;
    private final long tag;
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

    /** @param tag the member's tag (only its low 12 bits are used) */
    public Stamps(LongSupplier wallMillis, long tag) {
        this.wallMillis = wallMillis;
        this.tag = tag & ((1L << TAG_BITS) - 1);
    }

    /** The stamp of a write at Unix millisecond {@code millis} (counter 0, tag 0): for comparisons. */
    static long ofMillis(long millis) {
        return (millis - EPOCH_MILLIS) << MILLIS_SHIFT;
    }

    /** A stamp greater than every earlier one of this member. */
    long next() {
        while (true) {
            long prev = last.get();
            long candidate = Math.max(ofMillis(wallMillis.getAsLong()), (prev >> TAG_BITS) + 1 << TAG_BITS) | tag;
            if (last.compareAndSet(prev, candidate)) {
                return candidate;
            }
        }
    }
}
