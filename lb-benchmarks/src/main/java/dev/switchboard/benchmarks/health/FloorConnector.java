package dev.switchboard.benchmarks.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jdk.net.ExtendedSocketOptions;

/**
 * The floor of {@link HealthCheckerLoad}: the least a TCP prober pays for {@code perSecond} connects a second. One
 * thread opens an IPv4 socket, turns {@code TCP_QUICKACK} off (as the checker's connect-only probes do: the server
 * never accepts), connects (blocking), closes it with {@code SO_LINGER} 0, in batches every 10 ms (as the checker's
 * timer slots); no scheduler, no selector, no outcome handling.
 */
final class FloorConnector {

    /** Connects that succeeded. */
    static final AtomicLong CONNECTED = new AtomicLong();

    private FloorConnector() {
    }

    static Thread start(String host, List<Integer> ports, int perSecond) {
        Thread t = new Thread(() -> run(host, ports, perSecond), "floor-connector");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void run(String host, List<Integer> ports, int perSecond) {
        InetSocketAddress[] to = ports.stream().map(p -> new InetSocketAddress(host, p))
                .toArray(InetSocketAddress[]::new);
        int batch = Math.max(1, perSecond / 100);
        long period = 10_000_000L;
        long next = System.nanoTime();
        for (long i = 0; ; ) {
            for (int b = 0; b < batch; b++, i++) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET)) {
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                    ch.setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
                    ch.connect(to[(int) (i % to.length)]);
                    CONNECTED.incrementAndGet();
                } catch (IOException | UnsupportedOperationException e) {
                    // not counted
                }
            }
            next += period;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }
}
