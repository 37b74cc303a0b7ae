package dev.switchboard.benchmarks.cluster;

import dev.switchboard.api.Decision;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.cluster.ClusterMember;
import dev.switchboard.engine.DispatchEngine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A layer-7 dispatch with source-IP persistence, the engine's built-in table against the replicated store of
 * {@code lb-cluster} (issue 14: "within 1.1x of the local table"). One op = {@code engine.dispatch("edge", request)}
 * and the lease's {@code release}.
 *
 * <p>The model: virtual service {@code edge}, one default sub-service with 8 real servers, round robin,
 * {@code source-ip} persistence (idle timeout one hour, {@code maxEntries} 4 M so nothing is evicted during a run)
 * that names no store. {@code @Param store}:
 * <ul>
 *   <li>{@code local}: {@code DispatchEngine.create(model)}, the engine's built-in table;</li>
 *   <li>{@code replicated}: {@code DispatchEngine.builder(model).fleet(member.fleet())} on one started
 *       {@code ClusterMember} (127.0.0.1, no peer: its shipper still drains the outbox and publishes every batch);</li>
 *   <li>{@code replicated-pair}: the same with a second member in this JVM, which has an engine of its own on the
 *       same model (an HA pair's standby) and receives and applies every batch, so the shipping and the receiving
 *       threads do their real work on the same two cores as the benchmark.</li>
 *   <li>{@code alternate}: both in one JVM, a built-in table's engine and a {@code replicated-pair} set-up, taking
 *       turns by iteration: odd iterations (counting the warm-up ones from 1) dispatch on the built-in table, even
 *       ones on the replicated store, so that adjacent iterations meet the same phase of a busy machine; the ratio of
 *       each even iteration to the odd one before it is the figure to read (the iteration lines say which is which).
 *       The store call is then bimorphic in the JIT's eyes, as in a gateway that has both kinds of table.</li>
 *   <li>{@code alternate-single}: the same with a {@code replicated} set-up (one member, its standby on another
 *       machine in a real pair), so the receiving member's work is not charged to the dispatch.</li>
 * </ul>
 * Members ship every 50 ms (the default).
 *
 * <p>Clients: {@code clients} known clients (distinct addresses in 100.64.0.0/10 from a fixed seed), each dispatched
 * once in set-up (so each has an entry) and visited in a fixed random order, each thread from its own offset: a
 * persistence hit. Every {@code newEvery}-th op is a new client instead (a persistence miss, a round-robin pick and
 * a put): addresses {@code 10.0.0.0/8} (thread 0) or {@code 11.0.0.0/8} (thread 1) in a scrambled order that repeats
 * after 16.7 M clients, so the table grows by one entry per new client during the run. {@code newEvery = 0}: hits
 * only. A new client's address is made on the spot ({@code InetAddress.getByAddress}: about 60 B, that is
 * about 1 B/op at 1/64) and set on the thread's reused request object. Set-up checks that each known client's
 * second visit goes to its first server and, for the pair, that the standby's engine holds every known client.
 *
 * <p>Run (the ratio {@code replicated / local} is the figure of the issue; {@code -prof gc} for B/op, which counts
 * every thread of the JVM, the shipper's and the other member's included; {@link CpuTimeProfiler} for CPU time per
 * op, the figure to compare on a machine that other work keeps busy):
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar 'ReplicatedDispatchBenchmark.dispatch$' \
 *     -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc -prof dev.switchboard.benchmarks.cluster.CpuTimeProfiler \
 *     -rf json -rff replicated-dispatch.json
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class ReplicatedDispatchBenchmark {

    static final String VIRTUAL_SERVICE = "edge";
    static final String HOST = "edge.example.com";
    private static final int SERVERS = 8;
    private static final int MAX_ENTRIES = 1 << 22;
    private static final long SEED = 0x5EED_0014L;
    private static final Outcome OK = Outcome.ofStatus(200, 1_000_000L);

    /** {@code local}, {@code replicated}, {@code replicated-pair}, {@code alternate} or {@code alternate-single}. */
    @Param({"local", "replicated", "replicated-pair", "alternate", "alternate-single"})
    String store;

    /** One op in this many is a new client (a miss and a put); 0: hits only. */
    @Param({"64"})
    int newEvery;

    /**
     * Known clients (a power of two): 4,096 keep their request objects and their entries in the CPU caches, so the
     * store's own work is the largest share of the op (the case the 1.1x line is hardest to meet in); 65,536 visited
     * in random order make nearly every hit a few cache misses (request, address, entry) for both stores alike.
     */
    @Param({"4096"})
    int clients;

    private LocalMembers members;
    private DispatchEngine engine;
    private DispatchEngine standby;
    /** {@code alternate}: the built-in table's engine and the replicated one, and the iterations begun so far. */
    private DispatchEngine localEngine;
    private DispatchEngine replicatedEngine;
    private int iteration;
    private Visitor[] known;

    /** One thread's position in the known clients and its new clients. */
    @State(Scope.Thread)
    public static class Clients {
        int position;
        int fresh;
        int firstOctet;
        final byte[] address = new byte[4];
        final Visitor newcomer = new Visitor(InetAddress.getLoopbackAddress());

        @Setup
        public void setUp(ThreadParams thread, ReplicatedDispatchBenchmark benchmark) {
            position = thread.getThreadIndex() * (benchmark.clients / 2);
            firstOctet = 10 + thread.getThreadIndex();
        }

        /** The next new client on the thread's reused request object. */
        Visitor newcomer() {
            int scrambled = (++fresh * 0x9E3779B1) & 0xFF_FFFF; // odd multiplier: a permutation of 24 bits
            address[0] = (byte) firstOctet;
            address[1] = (byte) (scrambled >>> 16);
            address[2] = (byte) (scrambled >>> 8);
            address[3] = (byte) scrambled;
            newcomer.source(inet(address));
            return newcomer;
        }
    }

    @Setup
    public void setUp() throws InterruptedException {
        if (newEvery < 0) {
            throw new IllegalArgumentException("newEvery: " + newEvery + " (expected: >= 0)");
        }
        if (clients < 2 || Integer.bitCount(clients) != 1) {
            throw new IllegalArgumentException("clients: " + clients + " (expected: a power of two, >= 2)");
        }
        LoadBalancer model = model();
        known = knownClients(clients);
        switch (store) {
            case "local" -> engine = DispatchEngine.create(model);
            case "replicated", "replicated-pair", "alternate", "alternate-single" -> {
                members = new LocalMembers(Duration.ofMillis(50));
                ClusterMember a = members.start();
                if (store.equals("replicated-pair") || store.equals("alternate")) {
                    ClusterMember b = members.start();
                    standby = DispatchEngine.builder(model).fleet(b.fleet()).build();
                }
                engine = DispatchEngine.builder(model).fleet(a.fleet()).build();
            }
            default -> throw new IllegalArgumentException(
                    "store: " + store + " (expected: local, replicated, replicated-pair, alternate, alternate-single)");
        }
        checkPersistence(engine);
        if (store.startsWith("alternate")) {
            replicatedEngine = engine;
            localEngine = DispatchEngine.create(model);
            checkPersistence(localEngine);
        }
    }

    /** {@code alternate*}: odd iterations (the first warm-up one is 1) on the built-in table, even ones replicated. */
    @Setup(Level.Iteration)
    public void nextIteration() {
        iteration++;
        if (store.startsWith("alternate")) {
            engine = iteration % 2 == 1 ? localEngine : replicatedEngine;
            System.out.print(" [iteration " + iteration + ": " + (iteration % 2 == 1 ? "local" : "replicated") + "] ");
        }
    }

    @TearDown
    public void tearDown() {
        if (localEngine != null) {
            localEngine.close();
            engine = replicatedEngine;
        }
        engine.close();
        if (standby != null) {
            standby.close();
        }
        if (members != null) {
            members.close();
        }
    }

    @Benchmark
    @Threads(1)
    public Decision dispatch(Clients thread) {
        return dispatchOne(next(thread));
    }

    @Benchmark
    @Threads(2)
    public Decision dispatchTwoThreads(Clients thread) {
        return dispatchOne(next(thread));
    }

    private Visitor next(Clients thread) {
        int p = thread.position++;
        if (newEvery > 0 && p % newEvery == 0) {
            return thread.newcomer();
        }
        return known[p & (clients - 1)];
    }

    private Decision dispatchOne(Visitor request) {
        Decision d = engine.dispatch(VIRTUAL_SERVICE, request);
        if (d instanceof Decision.Forward f) {
            f.release(OK);
        }
        return d;
    }

    static LoadBalancer model() {
        SubService.Builder web = SubService.builder("web").asDefault();
        for (int i = 1; i <= SERVERS; i++) {
            web.realServer(RealServer.of("web" + i, "10.1.0." + i + ":80"));
        }
        return LoadBalancer.builder().virtualService(VirtualService.builder(VIRTUAL_SERVICE).listen("0.0.0.0:80")
                .protocol(Protocol.HTTP).scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(Persistence.builder(PersistenceMode.SOURCE_IP).timeout(Duration.ofHours(1))
                        .maxEntries(MAX_ENTRIES).build())
                .subService(web.build()).build()).build();
    }

    /** {@code count} distinct addresses in 100.64.0.0/10, in the order they are visited. */
    private static Visitor[] knownClients(int count) {
        SplittableRandom random = new SplittableRandom(SEED);
        Set<Integer> seen = new HashSet<>();
        Visitor[] out = new Visitor[count];
        for (int i = 0; i < count; i++) {
            int ip;
            do {
                ip = 0x6440_0000 | random.nextInt(1 << 22);
            } while (!seen.add(ip));
            out[i] = new Visitor(inet(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8),
                (byte) ip}));
        }
        return out;
    }

    /** Pins every known client, then fails the run unless each one's second visit is a hit on its server. */
    private void checkPersistence(DispatchEngine engine) throws InterruptedException {
        String[] first = new String[known.length];
        for (int i = 0; i < known.length; i++) {
            first[i] = forward(engine, known[i]);
        }
        for (int i = 0; i < known.length; i++) {
            String again = forward(engine, known[i]);
            if (!again.equals(first[i])) {
                throw new IllegalStateException(known[i].sourceAddress() + ": went to " + first[i] + ", then to "
                        + again + " (expected: a persistence hit)");
            }
        }
        expectEntries("engine", () -> entries(engine));
        if (standby != null) {
            expectEntries("standby engine", () -> entries(standby));
        }
    }

    private void expectEntries(String what, LongSupplier entries) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (entries.getAsLong() != clients) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(what + ": " + entries.getAsLong() + " persistence entries after 30 s"
                        + " (expected: " + clients + ")");
            }
            Thread.sleep(10);
        }
    }

    private static long entries(DispatchEngine e) {
        return e.stats().findVirtualService(VIRTUAL_SERVICE).orElseThrow().persistenceEntries();
    }

    private static String forward(DispatchEngine e, Visitor request) {
        Decision d = e.dispatch(VIRTUAL_SERVICE, request);
        if (!(d instanceof Decision.Forward f)) {
            throw new IllegalStateException(request.sourceAddress() + ": expected a forward, got " + d);
        }
        f.release(OK);
        return f.target().server();
    }

    static InetAddress inet(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address: " + address.length + " bytes", e);
        }
    }
}
