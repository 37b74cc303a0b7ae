package dev.switchboard.benchmarks.peers;

import com.linecorp.armeria.client.ClientRequestContext;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import dev.switchboard.benchmarks.dispatch.WeightMix;
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

/**
 * Round-robin and weighted round-robin picks among 16 endpoints, Switchboard next to its peers on the same work
 * ({@link PickerType}): a plain {@code AtomicInteger}, Armeria 1.40's {@code roundRobin()} and
 * {@code weightedRoundRobin()} selectors ({@code strategy.newSelector(EndpointGroup.of(endpoints))
 * .selectNow(ctx)}, the group awaited with {@code whenReady()}, one {@code ClientRequestContext} built in setup),
 * and Switchboard's {@code ROUND_ROBIN} / {@code WEIGHTED_ROUND_ROBIN} schedulers over a fixed pool. Every
 * implementation returns the same Armeria {@code Endpoint} objects.
 *
 * <p>Weights are all 1 ({@code EQUAL}) or 1..5 from a fixed seed ({@code MIXED}, the same draw as
 * {@code PickBenchmark}); plain round robin ignores them. {@link #pick} runs on one thread, {@link #pickTwoThreads}
 * on two threads sharing one picker; times are per pick per thread, so two threads' total throughput is
 * {@code 2 / t2} against {@code 1 / t1}.
 *
 * <p>Run:
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar PeerPickBenchmark -p weights=EQUAL -f 1 -wi 3 -i 5 -w 1s -r 1s
 * java -jar lb-benchmarks/target/benchmarks.jar PeerPickBenchmark -p weights=MIXED \
 *     -p type=ARMERIA_WEIGHTED_ROUND_ROBIN,SWITCHBOARD_WEIGHTED_ROUND_ROBIN -f 1 -wi 3 -i 5 -w 1s -r 1s
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PeerPickBenchmark {

    private static final int ENDPOINTS = 16;

    @Param({"ATOMIC_ROUND_ROBIN", "ARMERIA_ROUND_ROBIN", "ARMERIA_WEIGHTED_ROUND_ROBIN", "SWITCHBOARD_ROUND_ROBIN",
            "SWITCHBOARD_WEIGHTED_ROUND_ROBIN"})
    PickerType type;

    @Param({"EQUAL", "MIXED"})
    WeightMix weights;

    private EndpointPicker picker;

    @Setup
    public void setUp() {
        int[] w = weights.weights(ENDPOINTS);
        Endpoint[] endpoints = new Endpoint[ENDPOINTS];
        for (int i = 0; i < ENDPOINTS; i++) {
            endpoints[i] = Endpoint.of("10.0.0." + (i + 11), 8080).withWeight(w[i]);
        }
        ClientRequestContext ctx = ClientRequestContext.of(HttpRequest.of(HttpMethod.GET, "/"));
        picker = type.create(endpoints, w, ctx);
    }

    @Benchmark
    @Threads(1)
    public Object pick() {
        return picker.pick();
    }

    @Benchmark
    @Threads(2)
    public Object pickTwoThreads() {
        return picker.pick();
    }
}
