package dev.switchboard.benchmarks.health;

import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.api.spi.HealthSink;
import dev.switchboard.health.HealthCheck;
import dev.switchboard.health.HealthChecker;
import dev.switchboard.health.HealthChecks;
import dev.switchboard.health.HealthTarget;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of active health checks: 1,000 distinct TCP probes (50 listening ports on 127.0.0.1 × 20 checks that
 * differ in {@code rise}, so no two share a probe) at a 1 s interval, measured as process CPU time per wall second
 * (percent of one core) over 30 s after a 5 s warm-up. The listening side (one selector thread accepting and closing)
 * runs in the same process; its CPU time is measured with {@link ThreadMXBean} and reported apart, and the checker's
 * figure is the process figure without it. Not a JMH benchmark: the quantity is a steady-state CPU share.
 *
 * <pre>
 * mvn -B -q -o -DskipTests package
 * (cd lb-benchmarks &amp;&amp; mvn -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/hcl.cp)
 * java -cp "lb-benchmarks/target/classes:lb-health/target/classes:$(cat /tmp/hcl.cp)" \
 *     dev.switchboard.benchmarks.health.HealthCheckerLoad 30
 * </pre>
 */
public final class HealthCheckerLoad {

    private static final int PORTS = 50;
    private static final int CHECKS = 20;
    private static final long SEED = 20_26_11_21L;

    private HealthCheckerLoad() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        AtomicLong accepted = new AtomicLong();
        Selector selector = Selector.open();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < PORTS; i++) {
            ServerSocketChannel ch = ServerSocketChannel.open();
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_ACCEPT);
            ports.add(((InetSocketAddress) ch.getLocalAddress()).getPort());
        }
        Thread acceptor = new Thread(() -> accept(selector, accepted), "load-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();

        AtomicLong reports = new AtomicLong();
        HealthSink sink = (vs, ss, server, health, reason) -> {
            reports.incrementAndGet();
            return true;
        };
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (HealthChecker checker = HealthChecker.builder(sink).seed(SEED).build()) {
            int n = 0;
            for (int c = 0; c < CHECKS; c++) {
                HealthCheck check = HealthChecks.tcp().interval(Duration.ofSeconds(1))
                        .timeout(Duration.ofMillis(500)).rise(c + 1).build();
                for (int port : ports) {
                    checker.add(HealthTarget.of("load", "pool" + c, "s" + n++, Address.of("127.0.0.1", port), check));
                }
            }
            Thread.sleep(5_000);
            long cpu0 = os.getProcessCpuTime();
            long acc0 = threads.getThreadCpuTime(acceptor.getId());
            long conn0 = accepted.get();
            long wall0 = System.nanoTime();
            Thread.sleep(seconds * 1_000L);
            long wall = System.nanoTime() - wall0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long acc = threads.getThreadCpuTime(acceptor.getId()) - acc0;
            long conns = accepted.get() - conn0;
            System.out.printf("targets %d, distinct probes %d, interval 1 s, measured %.1f s%n", n, n, wall / 1e9);
            System.out.printf("probes completed: %.0f/s%n", conns / (wall / 1e9));
            System.out.printf("process CPU: %.2f %% of one core%n", 100.0 * cpu / wall);
            System.out.printf("  of which the test servers' acceptor: %.2f %%%n", 100.0 * acc / wall);
            System.out.printf("health checker (process minus acceptor): %.2f %% of one core%n",
                    100.0 * (cpu - acc) / wall);
            System.out.printf("sink reports: %d%n", reports.get());
            for (long id : threads.getAllThreadIds()) {
                java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
                long t = threads.getThreadCpuTime(id);
                if (info != null && t > 0) {
                    System.out.printf("  thread %-24s %6.2f s CPU since start, of which user %6.2f s%n",
                            info.getThreadName(), t / 1e9, threads.getThreadUserTime(id) / 1e9);
                }
            }
        }
        selector.close();
    }

    private static void accept(Selector selector, AtomicLong accepted) {
        try {
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel s;
                    while ((s = ((ServerSocketChannel) key.channel()).accept()) != null) {
                        s.close();
                        accepted.incrementAndGet();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed at the end of the run
        }
    }
}
