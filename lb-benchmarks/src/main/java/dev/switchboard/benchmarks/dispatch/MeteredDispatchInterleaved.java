package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.micrometer.CoarseClock;
import dev.switchboard.micrometer.SwitchboardMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@link MeteredDispatchBenchmark}'s comparison for a machine other work keeps busy: every binder in one JVM, run in
 * short slices in a shuffled order each round, so that whatever else the machine does falls on all of them alike.
 * Per slice it takes the thread's CPU time, wall time and allocated bytes per dispatch + release; it prints, per
 * binder, the median over the rounds and the median of the per-round ratio to {@code none}. JMH remains the
 * reference for absolute figures; this is for ratios on a noisy machine. Single-threaded; the binders' engines
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
        final List<Double> cpu = new ArrayList<>();
        final List<Double> wall = new ArrayList<>();
        final List<Double> bytes = new ArrayList<>();
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
        for (String b : binders) {
            subjects.add(new Subject(b));
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SplittableRandom random = new SplittableRandom(0x5EED_0016L);
        int warmup = Math.max(rounds / 5, 5);
        long sink = 0;
        for (int r = 0; r < warmup + rounds; r++) {
            List<Subject> order = new ArrayList<>(subjects);
            for (int i = order.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Subject t = order.get(i);
                order.set(i, order.get(j));
                order.set(j, t);
            }
            for (Subject s : order) {
                long bytes0 = threads.getCurrentThreadAllocatedBytes();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < ops; i++) {
                    sink += s.one().hashCode();
                }
                long wall = System.nanoTime() - wall0;
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                long bytes = threads.getCurrentThreadAllocatedBytes() - bytes0;
                if (r >= warmup) {
                    s.cpu.add((double) cpu / ops);
                    s.wall.add((double) wall / ops);
                    s.bytes.add((double) bytes / ops);
                }
            }
        }
        report(subjects, rounds, ops, sink);
        subjects.forEach(Subject::close);
    }

    private static void report(List<Subject> subjects, int rounds, int ops, long sink) {
        Subject base = subjects.get(0);
        System.out.printf(Locale.ROOT, "%d rounds x %d ops per binder, order shuffled per round (sink %d)%n",
                rounds, ops, sink & 1);
        System.out.printf(Locale.ROOT, "| binder | CPU ns/op (median) | ratio to %s (median per round) "
                + "| wall ns/op (median) | wall ratio | B/op (this thread) |%n|---|---:|---:|---:|---:|---:|%n",
                base.binder);
        for (Subject s : subjects) {
            double[] cpuRatio = new double[s.cpu.size()];
            double[] wallRatio = new double[s.wall.size()];
            for (int i = 0; i < cpuRatio.length; i++) {
                cpuRatio[i] = s.cpu.get(i) / base.cpu.get(i);
                wallRatio[i] = s.wall.get(i) / base.wall.get(i);
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.3f | %.1f | %.3f | %.2f |%n", s.binder, median(s.cpu),
                    median(cpuRatio), median(s.wall), median(wallRatio), median(s.bytes));
        }
    }

    private static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2]
                : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
