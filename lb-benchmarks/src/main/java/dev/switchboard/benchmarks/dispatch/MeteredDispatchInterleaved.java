package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.micrometer.CoarseClock;
import dev.switchboard.micrometer.SwitchboardMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link MeteredDispatchBenchmark}'s comparison for a machine other work keeps busy ({@link Interleaved}): every
 * binder in one JVM, run in short slices in a shuffled order each round; per binder the thread's CPU time, wall time
 * and allocated bytes per dispatch + release, medians and the median per-round ratio to {@code none}. JMH remains
 * the reference for absolute figures; this is for ratios on a noisy machine. Single-threaded; the binders' engines
 * share the JIT's profile of the dispatch path (the recorder call site sees every binder's recorder type, which
 * if anything costs the metered rows a little more than a JVM with one binder would).
 *
 * <pre>{@code
 * java -cp lb-benchmarks/target/benchmarks.jar dev.switchboard.benchmarks.dispatch.MeteredDispatchInterleaved \
 *     [rounds=300] [opsPerSlice=100000] [binders=none,prometheus,...]
 * }</pre>
 */
public final class MeteredDispatchInterleaved {

    private static final String[] DEFAULT_BINDERS = {"none", "prometheus-no-timers", "prometheus",
        "prometheus-coarse-clock", "prometheus-micrometer-timers", "prometheus-micrometer-timers-coarse-clock"};

    private MeteredDispatchInterleaved() {
    }

    /** One binder's engine and requests. */
    private static final class Subject {
        final String binder;
        final DispatchEngine engine;
        final HttpRequest[] requests;
        final SwitchboardMetrics metrics;
        final PrometheusMeterRegistry registry;
        int position;

        Subject(String binder) {
            this.binder = binder;
            engine = DispatchEngine.create(DispatchBenchmark.model(8, RuleMix.LITERAL, true));
            requests = DispatchBenchmark.requests(8, new String[DispatchBenchmark.REQUESTS],
                    DispatchBenchmark.cookieHeader(engine));
            if (binder.equals("none")) {
                registry = null;
                metrics = null;
                return;
            }
            registry = binder.endsWith("coarse-clock")
                    ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(),
                            CoarseClock.shared())
                    : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            metrics = MeteredDispatchBenchmark.binder(binder, engine);
            metrics.bindTo(registry);
        }

        Decision one() {
            Decision d = engine.dispatch(DispatchBenchmark.VIRTUAL_SERVICE,
                    requests[position++ & (DispatchBenchmark.REQUESTS - 1)]);
            if (d instanceof Decision.Forward f) {
                f.release(MeteredDispatchBenchmark.OK);
            }
            return d;
        }

        void close() {
            if (metrics != null) {
                metrics.close();
                registry.close();
            }
            engine.close();
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        String[] binders = args.length > 2 ? args[2].split(",") : DEFAULT_BINDERS;
        List<Subject> subjects = new ArrayList<>();
        List<Interleaved.Subject> measured = new ArrayList<>();
        for (String b : binders) {
            Subject s = new Subject(b);
            subjects.add(s);
            measured.add(new Interleaved.Subject(b, () -> s.one().hashCode()));
        }
        Interleaved.run(measured, rounds, ops, 0x5EED_0016L);
        subjects.forEach(Subject::close);
    }
}
