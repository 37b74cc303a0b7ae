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
 * One pick among {@code servers} endpoints, Switchboard next to its peers on the same work, through one adapter
 * ({@link EndpointPicker}) and one enum of implementations ({@link PickerType}, {@code @Param type}):
 * <ul>
 *   <li>the floor: a plain {@code AtomicInteger} over an array;</li>
 *   <li>Armeria 1.40's {@code roundRobin()}, {@code weightedRoundRobin()} and {@code rampingUp()} selectors
 *       ({@code strategy.newSelector(EndpointGroup.of(endpoints)).selectNow(ctx)}, the group awaited with
 *       {@code whenReady()}, one {@code ClientRequestContext} built in setup);</li>
 *   <li>Spring Cloud LoadBalancer 4.2.1's {@code RoundRobinLoadBalancer} without a Spring context
 *       ({@code choose(request).block()}, see {@link SpringRoundRobin});</li>
 *   <li>Switchboard's {@code ROUND_ROBIN}, {@code WEIGHTED_ROUND_ROBIN}, {@code LEAST_CONNECTION} and
 *       {@code LEAST_LOADED} schedulers over a fixed {@code ArrayServerSet} (all eligible, full ramp, active
 *       counts 0..15 from a fixed seed).</li>
 * </ul>
 * Every implementation returns the same Armeria {@code Endpoint} objects.
 *
 * <p>Weights are all 1 ({@code EQUAL}) or 1..5 from a fixed seed ({@code MIXED}, the same draw as
 * {@code PickBenchmark}); the unweighted pickers ignore them. {@link #pick} runs on one thread,
 * {@link #pickTwoThreads} on two threads sharing one picker; times are per pick per thread, so the scaling ratio
 * (two threads' total throughput over one thread's) is {@code 2 * t1 / t2}. Allocation is
 * {@code gc.alloc.rate.norm} with {@code -prof gc} (the target for Switchboard's picks is 0 B/op).
 *
 * <p>Run (the whole matrix is 9 types x 4 sizes x 2 weight mixes x 2 methods; narrow it with {@code -p}):
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar PeerPickBenchmark -p weights=MIXED -f 1 -wi 3 -i 5 -w 1s -r 1s \
 *     -prof gc -rf json -rff pick.json
 * java -jar lb-benchmarks/target/benchmarks.jar 'PeerPickBenchmark.pick$' -p servers=16 -p weights=EQUAL \
 *     -p type=ATOMIC_ROUND_ROBIN,ARMERIA_ROUND_ROBIN,SPRING_ROUND_ROBIN,SWITCHBOARD_ROUND_ROBIN -f 1 -wi 3 -i 5
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PeerPickBenchmark {

    @Param({"ATOMIC_ROUND_ROBIN", "ARMERIA_ROUND_ROBIN", "ARMERIA_WEIGHTED_ROUND_ROBIN", "ARMERIA_RAMPING_UP",
            "SPRING_ROUND_ROBIN", "SWITCHBOARD_ROUND_ROBIN", "SWITCHBOARD_WEIGHTED_ROUND_ROBIN",
            "SWITCHBOARD_LEAST_CONNECTION", "SWITCHBOARD_LEAST_LOADED"})
    PickerType type;

    @Param({"2", "16", "256", "4096"})
    int servers;

    @Param({"EQUAL", "MIXED"})
    WeightMix weights;

    private EndpointPicker picker;

    @Setup
    public void setUp() {
        int[] w = weights.weights(servers);
        Endpoint[] endpoints = new Endpoint[servers];
        for (int i = 0; i < servers; i++) {
            int n = i + 11;
            endpoints[i] = Endpoint.of("10.0." + (n >> 8) + "." + (n & 255), 8080).withWeight(w[i]);
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
