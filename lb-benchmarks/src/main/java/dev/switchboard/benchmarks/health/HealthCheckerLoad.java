package dev.switchboard.benchmarks.health;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.spi.HealthSink;
import dev.switchboard.health.HealthChecker;
import dev.switchboard.health.HealthTarget;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of active health checks: 1,000 distinct probes (50 listening ports × 20 checks that differ in
 * {@code rise}, so no two share a probe) at a 1 s interval, measured as process CPU time per wall second (percent
 * of one core) over the run after a warm-up (5 s; {@code -Dwarmup=SECONDS}: the C2 compiler is still busy
 * for some 20 s on two cores), split into user and system (kernel) time from
 * {@code /proc/self/stat}. Not a JMH benchmark: the quantity is a steady-state CPU share.
 *
 * <p>Arguments: {@code [seconds] [tcp|http|http-fresh|floor|idle] [host basePort]}. {@code http} probes reuse their
 * connection (the default of plain-HTTP checks), {@code http-fresh} open a new one per probe
 * ({@code reuseConnection(false)}). {@code floor} runs no checker: one thread
 * ({@link FloorConnector}) opens, connects (blocking) and closes 1,000 sockets a second to the same ports, which is
 * what any TCP prober must at least pay the kernel here. {@code idle} runs a checker without targets: the JVM's own
 * background cost. Without a host, the listening side ({@link
 * LoadResponder}: one selector thread that accepts and closes, or answers {@code 200} to an HTTP request) runs in
 * the same process on 127.0.0.1; its thread CPU time is measured with {@link ThreadMXBean} and taken out. With a
 * host, the probes go to {@code host:basePort..basePort+49}, served by another process
 * ({@code HealthCheckerLoad serve bindAddress basePort}; {@code lb-benchmarks/load/health-vs-haproxy.sh} runs it and
 * measures HAProxy's checks of the same targets). TCP probes (and the floor's connects) reset the connection before
 * the handshake's last ACK, so the responder never accepts them: the program prints how many targets had a successful
 * probe within the last 1.5 s, which shows that the checker kept up.
 *
 * <pre>
 * mvn -B -q -o -DskipTests package
 * java -cp lb-benchmarks/target/benchmarks.jar dev.switchboard.benchmarks.health.HealthCheckerLoad 30 tcp
 * java -cp lb-benchmarks/target/benchmarks.jar dev.switchboard.benchmarks.health.HealthCheckerLoad 30 http
 * </pre>
 */
public final class HealthCheckerLoad {

    private static final int PORTS = 50;
    private static final int CHECKS = 20;
    private static final long SEED = 20_26_11_21L;

    private HealthCheckerLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            LoadResponder.serve(InetAddress.getByName(args[1]), Integer.parseInt(args[2]), PORTS);
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        boolean fresh = args.length > 1 && args[1].equals("http-fresh");
        boolean http = args.length > 1 && (args[1].equals("http") || fresh);
        boolean floor = args.length > 1 && args[1].equals("floor");
        boolean idle = args.length > 1 && args[1].equals("idle");
        String host = args.length > 3 ? args[2] : "127.0.0.1";
        List<Integer> ports = new ArrayList<>();
        LoadResponder responder = null;
        if (args.length > 3) {
            for (int i = 0; i < PORTS; i++) {
                ports.add(Integer.parseInt(args[3]) + i);
            }
        } else {
            responder = LoadResponder.start(InetAddress.getLoopbackAddress(), 0, PORTS);
            ports.addAll(responder.ports());
        }

        AtomicLong reports = new AtomicLong();
        AtomicLong downs = new AtomicLong();
        HealthSink sink = (vs, ss, server, health, reason) -> {
            reports.incrementAndGet();
            if (health == dev.switchboard.api.Health.DOWN) {
                downs.incrementAndGet();
            }
            return true;
        };
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Thread floorThread = floor ? FloorConnector.start(host, ports, PORTS * CHECKS) : null;
        try (HealthChecker checker = HealthChecker.builder(sink).seed(SEED).build()) {
            int n = 0;
            for (int c = 0; c < CHECKS && !floor && !idle; c++) {
                HealthCheck.Builder b = http ? HealthCheck.http().path("/health").reuseConnection(!fresh)
                        : HealthCheck.tcp();
                HealthCheck check = b.interval(Duration.ofSeconds(1)).timeout(Duration.ofMillis(500)).rise(c + 1)
                        .build();
                for (int port : ports) {
                    checker.add(HealthTarget.of("load", "pool" + c, "s" + n++, Address.of(host, port), check));
                }
            }
            Thread.sleep(Integer.getInteger("warmup", 5) * 1_000L);
            long[] cpu0 = processTicks();
            long accAll0 = responder == null ? 0 : threads.getThreadCpuTime(responder.threadId());
            long accUser0 = responder == null ? 0 : threads.getThreadUserTime(responder.threadId());
            long floorConnects0 = FloorConnector.CONNECTED.get();
            long served0 = responder == null ? 0 : responder.served();
            long accepted0 = responder == null ? 0 : responder.accepted();
            java.util.Map<Long, Long> threadCpu0 = new java.util.HashMap<>();
            for (long id : threads.getAllThreadIds()) {
                threadCpu0.put(id, threads.getThreadCpuTime(id));
            }
            long wall0 = System.nanoTime();
            Thread.sleep(seconds * 1_000L);
            long wall = System.nanoTime() - wall0;
            long[] cpu1 = processTicks();
            long accAll = responder == null ? 0 : threads.getThreadCpuTime(responder.threadId()) - accAll0;
            long accUser = responder == null ? 0 : threads.getThreadUserTime(responder.threadId()) - accUser0;
            long served = responder == null ? 0 : responder.served() - served0;
            long accepted = responder == null ? 0 : responder.accepted() - accepted0;
            double tick = 1e9 / 100; // USER_HZ
            double user = (cpu1[0] - cpu0[0]) * tick;
            double sys = (cpu1[1] - cpu0[1]) * tick;
            System.out.printf("%s, targets %d (%s), distinct probes %d, interval 1 s, measured %.1f s%n",
                    idle ? "idle: a checker without targets"
                            : floor ? "floor: blocking connect + close (TCP_QUICKACK off, SO_LINGER 0), 1,000/s,"
                                    + " no checker"
                            : fresh ? "HTTP probes, a new connection each"
                            : http ? "HTTP probes, reusing their connection" : "TCP probes", n, host, n, wall / 1e9);
            if (responder != null) {
                System.out.printf("probes served: %.0f/s, connections accepted: %.0f/s%n", served / (wall / 1e9),
                        accepted / (wall / 1e9));
            }
            if (floor) {
                System.out.printf("floor connects: %.0f/s%n",
                        (FloorConnector.CONNECTED.get() - floorConnects0) / (wall / 1e9));
            } else if (n > 0) { // TCP checks are not seen by the responder: the server never accepts them
                System.out.printf("targets whose last probe succeeded within 1.5 s: %d of %d%n",
                        recentSuccesses(checker, n, ports.size()), n);
            }
            System.out.printf("sink reports: %d, of which down: %d%n", reports.get(), downs.get());
            System.out.printf("process CPU: %.2f %% of one core (user %.2f, system %.2f)%n",
                    pct(user + sys, wall), pct(user, wall), pct(sys, wall));
            System.out.printf("  test servers' responder thread: %.2f %% (user %.2f, system %.2f)%n",
                    pct(accAll, wall), pct(accUser, wall), pct(accAll - accUser, wall));
            System.out.printf("health checker (process minus responder): %.2f %% of one core"
                            + " (user %.2f, system %.2f)%n", pct(user + sys - accAll, wall),
                    pct(user - accUser, wall), pct(sys - (accAll - accUser), wall));
            if (served > 0) { // on a loaded machine probes run late and fewer than 1,000 a second are served
                System.out.printf("health checker per 1,000 probes served a second: %.2f %% of one core%n",
                        pct(user + sys - accAll, wall) * 1000 / (served / (wall / 1e9)));
            }
            for (long id : threads.getAllThreadIds()) {
                java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
                long t = threads.getThreadCpuTime(id);
                if (info != null && t > 10_000_000) {
                    System.out.printf("  thread %-28s %6.2f s CPU since start, of which user %6.2f s;"
                                    + " in the measured window %5.2f %%%n", info.getThreadName(), t / 1e9,
                            threads.getThreadUserTime(id) / 1e9, pct(t - threadCpu0.getOrDefault(id, 0L), wall));
                }
            }
        }
        if (responder != null) {
            responder.close();
        }
    }

    private static int recentSuccesses(HealthChecker checker, int targets, int perCheck) {
        java.time.Instant since = java.time.Instant.now().minusMillis(1_500);
        int ok = 0;
        for (int s = 0; s < targets; s++) {
            var last = checker.findLastProbe("load", "pool" + s / perCheck, "s" + s);
            if (last.isPresent() && last.get().success() && last.get().time().isAfter(since)) {
                ok++;
            }
        }
        return ok;
    }

    private static double pct(double nanos, long wall) {
        return 100.0 * nanos / wall;
    }

    /** utime and stime of this process, in clock ticks (fields 14 and 15 of {@code /proc/self/stat}). */
    private static long[] processTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }
}
