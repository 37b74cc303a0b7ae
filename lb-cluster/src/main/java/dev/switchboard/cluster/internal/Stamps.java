package dev.switchboard.cluster.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Write stamps of one member: wall-clock milliseconds in the high 48 bits, the member's 16-bit tag in the low ones,
 * strictly increasing on this member (two writes in one millisecond get consecutive milliseconds). Comparing stamps
 * of two members orders their writes by wall clock, ties broken by tag. Thread-safe (one CAS per write).
 */
public final class Stamps {

    private final LongSupplier wallMillis;
    private final long tag;
    private final AtomicLong last = new AtomicLong();

    /** @param tag the member's tag (only its low 16 bits are used) */
    public Stamps(LongSupplier wallMillis, long tag) {
        this.wallMillis = wallMillis;
        this.tag = tag & 0xFFFF;
    }

    /** A stamp greater than every earlier one of this member. */
    long next() {
        while (true) {
            long prev = last.get();
            long candidate = Math.max(wallMillis.getAsLong() << 16, (prev & ~0xFFFFL) + 0x10000L) | tag;
            if (last.compareAndSet(prev, candidate)) {
                return candidate;
            }
        }
    }
}
