package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.MatchTarget;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.engine.internal.persist.PersistenceCompiler;
import dev.switchboard.engine.internal.persist.WallClock;
import dev.switchboard.engine.internal.routing.CompiledMatch;
import dev.switchboard.engine.internal.routing.ContentSwitch;
import dev.switchboard.engine.internal.routing.HostNormalizer;
import dev.switchboard.engine.internal.routing.PathNormalizer;
import dev.switchboard.engine.internal.schedule.Schedulers;
import dev.switchboard.engine.internal.snapshot.CompiledSubService;
import dev.switchboard.engine.internal.snapshot.CompiledVirtualService;
import dev.switchboard.engine.internal.snapshot.Pool;
import dev.switchboard.engine.internal.snapshot.RoutingTable;
import dev.switchboard.engine.internal.snapshot.TableCompiler;
import dev.switchboard.engine.internal.state.ServerState;
import dev.switchboard.engine.internal.trace.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The stages of {@link DispatchBenchmark}'s dispatch measured one at a time, on the same model and the same 1024
 * requests, to see where the time goes (a diagnostic, not a budget line). The engine's internal pieces are built
 * the way the engine builds them: the routing table by the engine's {@code TableCompiler}, the content switch by
 * {@code ContentSwitch.build} over the compiled matches, schedulers by {@code Schedulers.factory} over the
 * table's own {@code Pool}s.
 *
 * <ul>
 *   <li>{@link #compiledDispatch}: the whole dispatch + release on the compiled virtual service (what
 *       {@code DispatchEngine.dispatch} runs after reading the table and looking up the name);</li>
 *   <li>{@link #normalize}: path and host normalization;</li>
 *   <li>{@link #contentSwitch}: choosing the sub-service (host + path rules, literal index);</li>
 *   <li>{@link #contentSwitchPathsOnly}: the same with {@code owa}'s host rule left out (so {@code owa} is a
 *       plain ignore-case prefix in the index too): the difference is the cost of the host rule tried in order;</li>
 *   <li>{@link #pickOnEnginePool}: one weighted least-connection pick over the chosen sub-service's {@code Pool}
 *       (16 {@code ServerState}s);</li>
 *   <li>{@link #pickOnArray}: the same pick over a flat {@link ArrayServerSet} with the same weights (control:
 *       the difference is the cost of reading server state through the pool);</li>
 *   <li>{@link #roundRobinOnEnginePool}: a round-robin pick over the same pools, to compare with
 *       {@code PeerPickBenchmark}'s round robin over a flat array;</li>
 *   <li>{@link #leaseCycle}: the pick on the engine pool plus {@code tryAcquire} and {@code release} on the
 *       picked server's state (the atomics of a lease, without the decision object).</li>
 * </ul>
 *
 * <p>Run:
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar DispatchStagesBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DispatchStagesBenchmark {

    private static final int MASK = DispatchBenchmark.REQUESTS - 1;
    private static final long POOL_SEED = 0x5EED_0006L;

    @Param({"8", "1000"})
    int ruleCount;

    private ScheduledExecutorService timer;
    private CompiledVirtualService virtualService;
    private ContentSwitch contentSwitch;
    private ContentSwitch pathsOnlySwitch;
    private HttpRequest[] requests;
    private String[] paths;
    private String[] hosts;
    /** Per request: the pool of the sub-service it reaches, and a weighted least-connection scheduler over it. */
    private Pool[] pools;
    private Scheduler[] schedulers;
    private Scheduler[] roundRobins;
    private ArrayServerSet arrayServers;
    private Scheduler arrayScheduler;
    private int cursor;

    @Setup
    public void setUp() {
        LoadBalancer model = DispatchBenchmark.model(ruleCount);
        timer = Executors.newSingleThreadScheduledExecutor();
        RoutingTable table = new TableCompiler(Ticker.system(), timer,
                new PersistenceCompiler(Ticker.system(), WallClock.system(timer), new byte[16]))
                .compile(model, RoutingTable.EMPTY).apply();
        virtualService = table.virtualService(DispatchBenchmark.VIRTUAL_SERVICE);
        VirtualService vs = model.virtualServices().get(0);
        contentSwitch = contentSwitch(vs, false);
        pathsOnlySwitch = contentSwitch(vs, true);
        String[] expected = new String[DispatchBenchmark.REQUESTS];
        requests = DispatchBenchmark.requests(ruleCount, expected);
        paths = new String[requests.length];
        hosts = new String[requests.length];
        pools = new Pool[requests.length];
        schedulers = new Scheduler[requests.length];
        Map<String, CompiledSubService> subs = new HashMap<>();
        virtualService.subServices().forEach(s -> subs.put(s.name(), s));
        Map<String, Scheduler> bySub = new HashMap<>();
        Map<String, Scheduler> roundRobinBySub = new HashMap<>();
        roundRobins = new Scheduler[requests.length];
        for (int i = 0; i < requests.length; i++) {
            paths[i] = PathNormalizer.normalize(requests[i].rawPath(), vs.maxPathLength());
            hosts[i] = HostNormalizer.normalize(requests[i].authority());
            Pool pool = subs.get(expected[i]).pool();
            pools[i] = pool;
            schedulers[i] = bySub.computeIfAbsent(expected[i],
                    k -> Schedulers.factory(SchedulingMethod.WEIGHTED_LEAST_CONNECTION).create(pool));
            roundRobins[i] = roundRobinBySub.computeIfAbsent(expected[i],
                    k -> Schedulers.factory(SchedulingMethod.ROUND_ROBIN).create(pool));
        }
        Pool first = pools[0];
        int[] weights = new int[first.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = first.weight(i);
        }
        arrayServers = ArrayServerSet.of(weights, POOL_SEED);
        arrayScheduler = Schedulers.factory(SchedulingMethod.WEIGHTED_LEAST_CONNECTION).create(arrayServers);
    }

    /** The content switch the engine builds for {@code vs}; with {@code pathsOnly}, all-of matches keep their path rules. */
    private static ContentSwitch contentSwitch(VirtualService vs, boolean pathsOnly) {
        List<CompiledMatch> matches = new ArrayList<>();
        List<SubService> subs = vs.subServices();
        boolean[] defaults = new boolean[subs.size()];
        String[] names = new String[subs.size()];
        for (int i = 0; i < subs.size(); i++) {
            ContentMatch match = subs.get(i).match();
            if (pathsOnly && match.mode() == ContentMatch.Mode.ALL) {
                match = ContentMatch.any(match.rules().stream().filter(r -> r.target() == MatchTarget.PATH)
                        .toArray(ContentRule[]::new));
            }
            matches.add(CompiledMatch.compile(match));
            defaults[i] = subs.get(i).isDefault();
            names[i] = subs.get(i).name();
        }
        return ContentSwitch.build(matches, defaults, names);
    }

    @TearDown
    public void tearDown() {
        timer.shutdownNow();
    }

    @Benchmark
    public Decision compiledDispatch() {
        Decision d = virtualService.dispatch(requests[cursor++ & MASK], Trace.OFF, false);
        if (d instanceof Decision.Forward f) {
            f.release(DispatchBenchmark.OK);
        }
        return d;
    }

    @Benchmark
    public void normalize(Blackhole bh) {
        HttpRequest r = requests[cursor++ & MASK];
        bh.consume(PathNormalizer.normalize(r.rawPath(), VirtualService.DEFAULT_MAX_PATH_LENGTH));
        bh.consume(HostNormalizer.normalize(r.authority()));
    }

    @Benchmark
    public int contentSwitch() {
        int i = cursor++ & MASK;
        return contentSwitch.select(requests[i], paths[i], hosts[i], requests[i].sourceAddress(), Trace.OFF);
    }

    @Benchmark
    public int contentSwitchPathsOnly() {
        int i = cursor++ & MASK;
        return pathsOnlySwitch.select(requests[i], paths[i], hosts[i], requests[i].sourceAddress(), Trace.OFF);
    }

    @Benchmark
    public int pickOnEnginePool() {
        int i = cursor++ & MASK;
        return schedulers[i].pick(pools[i], 0L);
    }

    @Benchmark
    public int roundRobinOnEnginePool() {
        int i = cursor++ & MASK;
        return roundRobins[i].pick(pools[i], 0L);
    }

    @Benchmark
    public int pickOnArray() {
        return arrayScheduler.pick(arrayServers, 0L);
    }

    @Benchmark
    public int leaseCycle() {
        int i = cursor++ & MASK;
        Pool pool = pools[i];
        int picked = schedulers[i].pick(pool, 0L);
        ServerState state = pool.state(picked);
        if (state.tryAcquire()) {
            state.release(DispatchBenchmark.OK);
        }
        return picked;
    }
}
