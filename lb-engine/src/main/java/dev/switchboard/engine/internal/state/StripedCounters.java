package dev.switchboard.engine.internal.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed number of long counters, striped by thread as a {@link java.util.concurrent.atomic.LongAdder} is, but
 * with all the counters of one stripe side by side: a thread adds to its own stripe (chosen by its id), so the
 * counters a request touches sit in one cache line that stays with the core that runs the thread, instead of one
 * line per adder shared by every event loop (an adder only spreads over cells after an add has failed, which a
 * line moving between cores never makes happen). Stripes are padded to 128 bytes. A sum reads every stripe; like
 * {@code LongAdder.sum()} it is not a snapshot across adds that happen meanwhile. Thread-safe; allocates nothing
 * after construction.
 *
 * <pre>{@code
 * StripedCounters c = new StripedCounters(2);
 * c.add(0, 1);
 * long requests = c.sum(0);
 * }</pre>
 */
final class StripedCounters {

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs in 128 bytes: the padding of {@code @Contended} (two cache lines, for the adjacent-line prefetcher). */
    private static final int LINE = 16;
    private static final int STRIPES = stripes(Runtime.getRuntime().availableProcessors());

    private final long[] cells;
    private final int stride;

    /** {@code counters} counters, numbered from 0, all 0. */
    StripedCounters(int counters) {
        if (counters < 1) {
            throw new IllegalArgumentException("counters: " + counters + " (expected: >= 1)");
        }
        this.stride = (counters + LINE - 1) / LINE * LINE;
        this.cells = new long[LINE + STRIPES * stride + LINE]; // padded at both ends against the neighbours
    }

    /**
     * A power of two, at least twice the processors (so that a few event loops rarely share one), 2 to 16: 16 keeps
     * one object's cells at 2.3 KB or less (two of them per real server per sub-service) on a large host, where
     * threads that share a stripe still add atomically.
     */
    static int stripes(int processors) {
        int wanted = Math.max(2, Math.min(16, processors * 2));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /** Adds {@code delta} to counter {@code counter}. */
    void add(int counter, long delta) {
        int stripe = (int) Thread.currentThread().getId() & (STRIPES - 1);
        CELLS.getAndAdd(cells, LINE + stripe * stride + counter, delta);
    }

    /** The sum of what was added to counter {@code counter}. */
    long sum(int counter) {
        long sum = 0;
        for (int i = LINE + counter; i < cells.length - LINE; i += stride) {
            sum += (long) CELLS.getVolatile(cells, i);
        }
        return sum;
    }
}
