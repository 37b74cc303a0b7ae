package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.Outcome;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.micrometer.CoarseClock;
import dev.switchboard.micrometer.SwitchboardMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the Micrometer binding costs the request path: {@link DispatchBenchmark}'s budget line (host + 8 path rules,
 * weighted least-connection among 16, {@code persistence} none or a cookie hit) as dispatch + release, with
 * {@code binder = none} (no binding) and {@code prometheus} ({@link SwitchboardMetrics} bound to a
 * {@link PrometheusMeterRegistry} with the default SLO buckets: each release records total time and time to first
 * byte into the binder's striped histograms, which lb-micrometer-prometheus publishes at scrape time),
 * {@code prometheus-coarse-clock} (the same with {@link CoarseClock} as the registry's clock, as the gateway has it),
 * {@code prometheus-no-timers} ({@code latencyTimers(false)}: function meters only), and
 * {@code prometheus-micrometer-timers} ({@code micrometerTimers(true)}: each release also records two Micrometer
 * timers, as any registry without a publisher has it; with {@code -coarse-clock} on {@link CoarseClock}). The
 * counters and gauges are function meters read at scrape time and cost the request path nothing; the difference is
 * the latencies. Goal: {@code prometheus} within 1.15 × {@code none}, and {@code gc.alloc.rate.norm} the same for
 * both (no allocation per request for metrics). On a busy machine, {@link MeteredDispatchInterleaved} gives the
 * ratios with less noise.
 *
 * <p>Run:
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar 'MeteredDispatchBenchmark.dispatchRelease$' \
 *     -p persistence=active-cookie -f 4 -wi 3 -i 5 -w 1s -r 1s -prof gc \
 *     -prof dev.switchboard.benchmarks.cluster.CpuTimeProfiler
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MeteredDispatchBenchmark {

    /** A response after 1 ms whose head came after 0.4 ms: both timers record. */
    static final Outcome OK = new Outcome(200, Outcome.Failure.NONE, 1_000_000L, 0, 0, 400_000L);

    @Param({"none", "prometheus-no-timers", "prometheus", "prometheus-coarse-clock", "prometheus-micrometer-timers",
        "prometheus-micrometer-timers-coarse-clock"})
    String binder;

    @Param({"none", "active-cookie"})
    String persistence;

    private DispatchEngine engine;
    private PrometheusMeterRegistry registry;
    private SwitchboardMetrics metrics;
    private HttpRequest[] requests;

    @Setup
    public void setUp() {
        boolean cookie = persistence.equals("active-cookie");
        engine = DispatchEngine.create(DispatchBenchmark.model(8, RuleMix.LITERAL, cookie));
        String[] expected = new String[DispatchBenchmark.REQUESTS];
        requests = DispatchBenchmark.requests(8, expected,
                cookie ? DispatchBenchmark.cookieHeader(engine) : "");
        if (binder.startsWith("prometheus")) {
            registry = binder.endsWith("coarse-clock")
                    ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(),
                            CoarseClock.shared())
                    : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            metrics = binder(binder, engine);
            metrics.bindTo(registry);
        } else if (!binder.equals("none")) {
            throw new IllegalArgumentException("binder: " + binder
                    + " (expected: none, prometheus-no-timers, prometheus, prometheus-coarse-clock,"
                    + " prometheus-micrometer-timers, prometheus-micrometer-timers-coarse-clock)");
        }
    }

    /** The binder of a {@code binder} parameter that starts with {@code prometheus}. */
    static SwitchboardMetrics binder(String binder, DispatchEngine engine) {
        return SwitchboardMetrics.builder(engine).latencyTimers(!binder.equals("prometheus-no-timers"))
                .micrometerTimers(binder.startsWith("prometheus-micrometer-timers")).build();
    }

    @TearDown
    public void tearDown() {
        if (metrics != null) {
            boolean timers = registry.scrape().contains("switchboard_request_duration_seconds_count");
            if (timers != !binder.equals("prometheus-no-timers")) {
                throw new IllegalStateException("timers " + (timers ? "present" : "absent") + " with " + binder);
            }
            metrics.close();
            registry.close();
        }
        engine.close();
    }

    @Benchmark
    @Threads(1)
    public Decision dispatchRelease(DispatchBenchmark.Cursor cursor) {
        return dispatchReleaseOne(cursor);
    }

    /** Two threads on the same engine (and the same servers' histograms: distinct stripes). */
    @Benchmark
    @Threads(2)
    public Decision dispatchReleaseTwoThreads(DispatchBenchmark.Cursor cursor) {
        return dispatchReleaseOne(cursor);
    }

    private Decision dispatchReleaseOne(DispatchBenchmark.Cursor cursor) {
        Decision d = engine.dispatch(DispatchBenchmark.VIRTUAL_SERVICE, requests[cursor.next()]);
        if (d instanceof Decision.Forward f) {
            f.release(OK);
        }
        return d;
    }
}
