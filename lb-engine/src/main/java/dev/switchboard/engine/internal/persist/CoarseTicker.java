package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.spi.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Ticker} for the persistence stores on the request path: a reading of a source ticker kept in a
 * volatile field and refreshed by a timer, so that {@link #read} is one load instead of a clock call.
 *
 * <p>Why: a store reads its ticker on every lookup (for expiry and the idle-time refresh). {@link System#nanoTime}
 * costs about 23 ns here, and, worse, the clock read waits for every earlier load to complete (the vDSO reads the
 * TSC with {@code lfence}/{@code rdtscp}), so lookups that miss the cache can no longer overlap: measured on the
 * 2-core machine, a lookup at 1 M entries with a {@code nanoTime()} beside it costs 200-370 ns instead of
 * 55-75 ns (see {@code docs/benchmarks.md, "Persistence stores"}). A store given this ticker sees time in steps of the
 * refresh period; with one-second idle granularity and a period of 250 ms, an entry then lives between its timeout
 * minus the period and its timeout plus one second and the period after its last access.
 *
 * <p>Thread-safe; {@link #read} never blocks. {@link #refresh} is meant for one thread at a time (the timer).
 * The ticker is refreshed until the timer shuts down.
 *
 * <pre>{@code
 * CoarseTicker clock = CoarseTicker.start(timer, Duration.ofMillis(250), Ticker.system());
 * PersistenceStore store = PersistenceStores.defaults().create(Duration.ofMinutes(45), 1_000_000, clock);
 * }</pre>
 */
public final class CoarseTicker implements Ticker {

    private final Ticker source;
    private volatile long nanos;

    private CoarseTicker(Ticker source) {
        this.source = source;
        this.nanos = source.read();
    }

    /**
     * A ticker that {@code timer} refreshes from {@code source} every {@code period}.
     *
     * @throws IllegalArgumentException when {@code period} is not positive
     * @throws java.util.concurrent.RejectedExecutionException when the timer is shut down
     */
    public static CoarseTicker start(ScheduledExecutorService timer, Duration period, Ticker source) {
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(source, "source");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
        }
        CoarseTicker ticker = new CoarseTicker(source);
        long nanos = period.toNanos();
        timer.scheduleAtFixedRate(ticker::refresh, nanos, nanos, TimeUnit.NANOSECONDS);
        return ticker;
    }

    /** A ticker refreshed only by {@link #refresh} calls (for tests and benchmarks). */
    static CoarseTicker manual(Ticker source) {
        return new CoarseTicker(Objects.requireNonNull(source, "source"));
    }

    /** The source's reading at the last refresh. */
    @Override
    public long read() {
        return nanos;
    }

    /** Reads the source; the value never goes back. */
    public void refresh() {
        long now = source.read();
        if (now - nanos > 0) {
            nanos = now;
        }
    }
}
