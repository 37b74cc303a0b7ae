package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.engine.internal.schedule.Schedulers;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * One pick of a built-in scheduler among {@code servers} servers (16 unless told, e.g. {@code -p servers=2,4096}),
 * and nothing else: {@code Schedulers.factory(method).create(set)} over a fixed {@link ArrayServerSet} (all
 * eligible, full ramp, weights all 1 or mixed 1..5 from a fixed seed, active connections 0..15 from a fixed
 * seed), then {@code scheduler.pick(set, hash)} with a client hash taken from an array precomputed per thread from
 * a fixed seed.
 *
 * <p>{@link #pick} runs on one thread; {@link #pickTwoThreads} runs on two threads sharing the same scheduler
 * (one {@link Scope#Benchmark} state), the design's "2 threads sharing one picker". In average-time mode JMH
 * reports the time per pick <em>per thread</em>, so the total throughput on two threads is {@code 2 / t2} against
 * {@code 1 / t1} on one: the budget of 1.7x means {@code t2 <= 2 / 1.7 * t1 = 1.18 * t1}.
 *
 * <p>Run (the pattern is a regular expression: a bare {@code PickBenchmark} also selects
 * {@code peers.PeerPickBenchmark}):
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar 'dispatch.PickBenchmark' -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * java -jar lb-benchmarks/target/benchmarks.jar 'dispatch.PickBenchmark.pick$' -p scheduler=ROUND_ROBIN
 * java -jar lb-benchmarks/target/benchmarks.jar 'dispatch.PickBenchmark.pick$' -p weights=MIXED \
 *     -p scheduler=LEAST_CONNECTION,WEIGHTED_LEAST_CONNECTION,LEAST_LOADED -p servers=2,16,256,4096
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PickBenchmark {

    private static final int HASHES = 1 << 10;
    private static final long POOL_SEED = 0x5EED_0002L;
    private static final long HASH_SEED = 0x5EED_0003L;

    /** The scheduler, shared by every thread of a run. */
    @State(Scope.Benchmark)
    public static class Picker {
        @Param({"ROUND_ROBIN", "WEIGHTED_ROUND_ROBIN", "LEAST_CONNECTION", "WEIGHTED_LEAST_CONNECTION",
                "SOURCE_IP_HASH", "RANDOM", "LEAST_LOADED"})
        SchedulingMethod scheduler;

        @Param({"EQUAL", "MIXED"})
        WeightMix weights;

        /** The pool size; the design's budgets are at 16. */
        @Param({"16"})
        int servers;

        ArrayServerSet set;
        Scheduler instance;

        @Setup
        public void setUp() {
            if (servers < 1) {
                throw new IllegalArgumentException("servers: " + servers + " (expected: 1 or more)");
            }
            set = ArrayServerSet.of(weights.weights(servers), POOL_SEED);
            instance = Schedulers.factory(scheduler).create(set);
            if (instance.pick(set, 0L) == Scheduler.NONE) {
                throw new IllegalStateException(scheduler + " picked nothing from an all-eligible pool");
            }
        }
    }

    /** Client hashes of one thread (only the source-IP hash scheduler reads them). */
    @State(Scope.Thread)
    public static class Clients {
        long[] hashes;
        int cursor;

        @Setup
        public void setUp(ThreadParams thread) {
            SplittableRandom random = new SplittableRandom(HASH_SEED + thread.getThreadIndex());
            hashes = new long[HASHES];
            for (int i = 0; i < HASHES; i++) {
                hashes[i] = random.nextLong();
            }
        }

        long next() {
            return hashes[cursor++ & (HASHES - 1)];
        }
    }

    @Benchmark
    @Threads(1)
    public int pick(Picker picker, Clients clients) {
        return picker.instance.pick(picker.set, clients.next());
    }

    @Benchmark
    @Threads(2)
    public int pickTwoThreads(Picker picker, Clients clients) {
        return picker.instance.pick(picker.set, clients.next());
    }
}
