package dev.switchboard.benchmarks.simulation;

import dev.switchboard.api.Decision;
import dev.switchboard.api.Health;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A discrete-event simulation of one {@link Scenario} under one scheduler, deciding with the engine's real code:
 * a {@link DispatchEngine} built from a {@link LoadBalancer} model (one virtual service, one pool, the scheduler,
 * the scenario's slow start) with a fake {@code Ticker} that reads the simulated clock, so slow start runs in
 * simulated time. Each arrival is an {@code engine.dispatch}; the forward's lease is released with the request's
 * latency when the simulated server finishes it; the returning server is marked down and up through
 * {@code engine.setHealth}, as a health checker would.
 *
 * <p>Arrivals, client addresses, service times and the engine's own random draws (its builder's random source)
 * come from four streams split from the scenario's seed, so every scheduler sees the same arrivals from the same
 * clients and every run repeats; the engine's round-robin positions have one stripe
 * ({@code DispatchEngine.Builder.stripes(1)}), so they start at the same place whatever thread runs the simulation.
 * Not thread-safe; one instance per run.
 */
final class BalanceSimulation {

    private static final String VIRTUAL_SERVICE = "sim";
    private static final String SUB_SERVICE = "pool";
    private static final long SECOND = 1_000_000_000L;

    private final Scenario scenario;
    private final SchedulingMethod method;
    private final SimulatedServer[] servers;
    private final Map<String, SimulatedServer> byName = new HashMap<>();
    private final PriorityQueue<SimulatedServer.Job> inService = new PriorityQueue<>(
            Comparator.comparingLong((SimulatedServer.Job j) -> j.finishNanos).thenComparingLong(j -> j.sequence));
    private long[] latencies = new long[1 << 16];
    private int completed;
    private long now;
    private long sequence;
    private long notForwarded;

    BalanceSimulation(Scenario scenario, SchedulingMethod method) {
        this.scenario = scenario;
        this.method = method;
        this.servers = new SimulatedServer[scenario.servers().size()];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = new SimulatedServer(scenario.servers().get(i), scenario.durationSeconds());
            byName.put(servers[i].spec.name(), servers[i]);
        }
    }

    /** Runs the scenario to the end (arrivals stop at its duration; requests in flight then drain). */
    SchedulerResult run() {
        SplittableRandom root = new SplittableRandom(scenario.seed());
        SplittableRandom arrivals = root.split();
        SplittableRandom clients = root.split();
        SplittableRandom service = root.split();
        SplittableRandom engineDraws = root.split();
        HttpRequest[] requests = requests(scenario.clients());
        long end = scenario.durationSeconds() * SECOND;
        long down = scenario.downAtSecond() * SECOND;
        long up = scenario.upAtSecond() * SECOND;
        boolean marked = false;
        boolean returned = false;
        try (DispatchEngine engine = DispatchEngine.builder(model()).ticker(() -> now)
                .random(engineDraws).stripes(1).build()) {
            long nextArrival = nextGap(arrivals);
            while (true) {
                long arrival = nextArrival < end ? nextArrival : Long.MAX_VALUE;
                SimulatedServer.Job head = inService.peek();
                long finish = head == null ? Long.MAX_VALUE : head.finishNanos;
                long next = Math.min(arrival, finish);
                if (next == Long.MAX_VALUE) {
                    break;
                }
                if (!marked && down <= next) {
                    now = down;
                    marked = setHealth(engine, Health.DOWN);
                } else if (!returned && up <= next) {
                    now = up;
                    returned = setHealth(engine, Health.UP);
                } else if (finish <= arrival) {
                    now = finish;
                    complete(inService.poll());
                } else {
                    now = arrival;
                    arrive(engine, requests[clients.nextInt(requests.length)], service);
                    nextArrival = now + nextGap(arrivals);
                }
            }
        }
        return result();
    }

    private boolean setHealth(DispatchEngine engine, Health health) {
        if (!engine.setHealth(VIRTUAL_SERVICE, SUB_SERVICE, scenario.returningServer(), health, "simulated")) {
            throw new IllegalStateException("no server " + scenario.returningServer() + " in the engine");
        }
        return true;
    }

    private long nextGap(SplittableRandom arrivals) {
        double u = 1.0 - arrivals.nextDouble(); // (0, 1]
        return Math.max(1L, (long) (-Math.log(u) / scenario.requestsPerSecond() * SECOND));
    }

    private void arrive(DispatchEngine engine, HttpRequest request, SplittableRandom service) {
        Decision d = engine.dispatch(VIRTUAL_SERVICE, request);
        if (!(d instanceof Decision.Forward f)) {
            notForwarded++;
            return;
        }
        SimulatedServer server = byName.get(f.target().server());
        SimulatedServer.Job job = new SimulatedServer.Job(f, now, server.drawServiceNanos(service), sequence++, server);
        SimulatedServer.Job started = server.accept(job, now);
        if (started != null) {
            inService.add(started);
        }
    }

    private void complete(SimulatedServer.Job job) {
        long latency = now - job.arrivedNanos;
        job.lease.release(Outcome.ofStatus(200, latency));
        if (completed == latencies.length) {
            latencies = Arrays.copyOf(latencies, completed * 2);
        }
        latencies[completed++] = latency;
        SimulatedServer.Job next = job.server.finish(now);
        if (next != null) {
            inService.add(next);
        }
    }

    private LoadBalancer model() {
        SubService.Builder pool = SubService.builder(SUB_SERVICE).asDefault();
        for (ServerSpec s : scenario.servers()) {
            pool.realServer(RealServer.builder(s.name(), address(scenario.servers().indexOf(s)) + ":8080")
                    .weight(s.weight()).build());
        }
        return LoadBalancer.builder().virtualService(VirtualService.builder(VIRTUAL_SERVICE).listen("0.0.0.0:80")
                .protocol(Protocol.HTTP).scheduling(method)
                .slowStart(Duration.ofSeconds(scenario.slowStartSeconds()))
                .subService(pool.build()).build()).build();
    }

    private static String address(int i) {
        return "10.1." + (i >> 8) + "." + (i & 255);
    }

    /** One GET per client, each from its own address {@code 172.16.x.y}. */
    private static HttpRequest[] requests(int clients) {
        HttpRequest[] out = new HttpRequest[clients];
        for (int c = 0; c < clients; c++) {
            byte[] ip = {(byte) 172, (byte) (16 + (c >> 16)), (byte) (c >> 8), (byte) c};
            try {
                out[c] = HttpRequest.builder().method("GET").scheme("http").authority("sim.example.com")
                        .target("/").source(InetAddress.getByAddress(ip)).build();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private SchedulerResult result() {
        long[] sorted = Arrays.copyOf(latencies, completed);
        Arrays.sort(sorted);
        SimulatedServer slow = byName.get(scenario.slowServer());
        long total = 0;
        double capacity = 0;
        for (SimulatedServer s : servers) {
            total += s.requests;
            capacity += s.spec.capacityPerSecond();
        }
        return new SchedulerResult(method, total + notForwarded, notForwarded, millis(percentile(sorted, 0.50)),
                millis(percentile(sorted, 0.99)), millis(sorted.length == 0 ? 0 : sorted[sorted.length - 1]),
                loadRatio(), slow.requests, total == 0 ? 0 : (double) slow.requests / total,
                slow.spec.capacityPerSecond() / capacity, ramp());
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** Most over least loaded, by work sent per worker, among the servers up all the time. */
    private double loadRatio() {
        double max = 0;
        double min = Double.MAX_VALUE;
        for (SimulatedServer s : servers) {
            if (s.spec.name().equals(scenario.returningServer())) {
                continue;
            }
            double load = (double) s.busyNanos / s.spec.workers();
            max = Math.max(max, load);
            min = Math.min(min, load);
        }
        return min == 0 ? Double.POSITIVE_INFINITY : max / min;
    }

    /** The returning server's rate per 5-second window after its return, in percent of its rate before the failure. */
    private int[] ramp() {
        SimulatedServer s = byName.get(scenario.returningServer());
        double before = 0;
        for (int t = 0; t < scenario.downAtSecond(); t++) {
            before += s.perSecond[t];
        }
        before /= scenario.downAtSecond();
        int windows = Math.min(8, (scenario.durationSeconds() - scenario.upAtSecond()) / 5);
        int[] out = new int[windows];
        for (int w = 0; w < windows; w++) {
            double sum = 0;
            for (int t = 0; t < 5; t++) {
                sum += s.perSecond[scenario.upAtSecond() + w * 5 + t];
            }
            out[w] = before == 0 ? 0 : (int) Math.round(100 * sum / 5 / before);
        }
        return out;
    }
}
