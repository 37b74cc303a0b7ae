package dev.switchboard.benchmarks.cluster;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation, for runs on a machine that other work keeps busy (where time per operation mostly
 * measures the share of a core the benchmark got): {@code cpu.process.norm}, the whole JVM's CPU time (benchmark
 * threads, and also the cluster's shipper, Hazelcast's threads, the other member, GC and JIT) over the iteration's
 * operations, and {@code cpu.worker.norm}, the benchmark threads' alone ({@code jmh-worker} threads, from
 * {@link ThreadMXBean#getThreadCpuTime}). Both in ns/op. Process CPU time comes from
 * {@code com.sun.management.OperatingSystemMXBean}; on a JVM without it the process figure is left out.
 *
 * <p>Use: {@code -prof dev.switchboard.benchmarks.cluster.CpuTimeProfiler}. Not thread-safe (JMH calls it from one
 * thread, before and after each iteration).
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long processBefore;
    private Map<Long, Long> workersBefore = Map.of();

    @Override
    public String getDescription() {
        return "CPU time per operation: the whole JVM, and the benchmark threads alone";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        processBefore = processCpuNanos();
        workersBefore = workerCpu();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long ops = result.getMetadata().getAllOps();
        long process = processCpuNanos() - processBefore;
        long workers = 0;
        for (Map.Entry<Long, Long> e : workerCpu().entrySet()) {
            workers += e.getValue() - workersBefore.getOrDefault(e.getKey(), 0L);
        }
        if (ops <= 0) {
            return List.of();
        }
        ScalarResult worker = new ScalarResult("cpu.worker.norm", (double) workers / ops, "ns/op",
                AggregationPolicy.AVG);
        if (processBefore < 0) {
            return List.of(worker);
        }
        return List.of(new ScalarResult("cpu.process.norm", (double) process / ops, "ns/op", AggregationPolicy.AVG),
                worker);
    }

    /** CPU time of the JMH worker threads by thread id. */
    private Map<Long, Long> workerCpu() {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("jmh-worker")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    out.put(info.getThreadId(), cpu);
                }
            }
        }
        return out;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
