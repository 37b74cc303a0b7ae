package dev.switchboard.micrometer;

import io.micrometer.core.instrument.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Micrometer {@link Clock} that reads the system clock every {@code 10 ms} on a daemon thread and answers from that
 * reading: a timer's {@code record} reads the clock twice (its max's window, its histogram's window), which is a
 * large part of its cost on the request path; with this clock it reads a volatile field. Times are then up to 10 ms
 * stale, which only moves the rotation of the max's two-minute window. For a registry that records the engine's
 * timers ({@link SwitchboardMetrics}); not for code that measures durations with {@link Clock#monotonicTime()}.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
 *         new PrometheusRegistry(), CoarseClock.shared());
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class CoarseClock implements Clock {

    private static final long PERIOD_MILLIS = 10;
    private static final CoarseClock SHARED = new CoarseClock();

    private volatile long wall = System.currentTimeMillis();
    private volatile long monotonic = System.nanoTime();

    private CoarseClock() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-metrics-clock");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            wall = System.currentTimeMillis();
            monotonic = System.nanoTime();
        }, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The one coarse clock of this JVM (its daemon thread starts on first use). */
    public static CoarseClock shared() {
        return SHARED;
    }

    @Override
    public long wallTime() {
        return wall;
    }

    @Override
    public long monotonicTime() {
        return monotonic;
    }
}
