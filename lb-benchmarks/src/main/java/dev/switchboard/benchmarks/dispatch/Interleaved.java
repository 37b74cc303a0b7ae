package dev.switchboard.benchmarks.dispatch;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * A comparison for a machine other work keeps busy: every subject in one JVM, run in short slices in a shuffled order
 * each round, so that whatever else the machine does falls on all of them alike. Per slice it takes the thread's CPU
 * time, wall time and allocated bytes per operation; it prints, per subject, the median over the rounds and the
 * median of the per-round ratio to the first subject. JMH remains the reference for absolute figures; this is for
 * ratios on a noisy machine. Single-threaded.
 */
final class Interleaved {

    /** One subject: its name and one operation (whose result feeds a sink, so that it is not optimized away). */
    record Subject(String name, LongSupplier operation) {
    }

    private record Figures(List<Double> cpu, List<Double> wall, List<Double> bytes) {
        Figures() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    private Interleaved() {
    }

    /** Runs {@code rounds} measured rounds (after a fifth as many, at least 5, for warm-up) and prints the table. */
    static void run(List<Subject> subjects, int rounds, int ops, long seed) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SplittableRandom random = new SplittableRandom(seed);
        List<Figures> figures = new ArrayList<>();
        subjects.forEach(s -> figures.add(new Figures()));
        int warmup = Math.max(rounds / 5, 5);
        long sink = 0;
        for (int r = 0; r < warmup + rounds; r++) {
            int[] order = shuffled(subjects.size(), random);
            for (int k : order) {
                LongSupplier op = subjects.get(k).operation();
                long bytes0 = threads.getCurrentThreadAllocatedBytes();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < ops; i++) {
                    sink += op.getAsLong();
                }
                long wall = System.nanoTime() - wall0;
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                long bytes = threads.getCurrentThreadAllocatedBytes() - bytes0;
                if (r >= warmup) {
                    figures.get(k).cpu().add((double) cpu / ops);
                    figures.get(k).wall().add((double) wall / ops);
                    figures.get(k).bytes().add((double) bytes / ops);
                }
            }
        }
        report(subjects, figures, rounds, ops, sink);
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static void report(List<Subject> subjects, List<Figures> figures, int rounds, int ops, long sink) {
        Figures base = figures.get(0);
        System.out.printf(Locale.ROOT, "%d rounds x %d ops per subject, order shuffled per round (sink %d)%n",
                rounds, ops, sink & 1);
        System.out.printf(Locale.ROOT, "| subject | CPU ns/op (median) | ratio to %s (median per round) "
                + "| wall ns/op (median) | wall ratio | B/op (this thread) |%n|---|---:|---:|---:|---:|---:|%n",
                subjects.get(0).name());
        for (int k = 0; k < subjects.size(); k++) {
            Figures f = figures.get(k);
            double[] cpuRatio = new double[f.cpu().size()];
            double[] wallRatio = new double[f.wall().size()];
            for (int i = 0; i < cpuRatio.length; i++) {
                cpuRatio[i] = f.cpu().get(i) / base.cpu().get(i);
                wallRatio[i] = f.wall().get(i) / base.wall().get(i);
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.3f | %.1f | %.3f | %.2f |%n", subjects.get(k).name(),
                    median(f.cpu()), median(cpuRatio), median(f.wall()), median(wallRatio), median(f.bytes()));
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
