package dev.switchboard.cluster;

import dev.switchboard.api.spi.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Test members on 127.0.0.1: one cluster name per fleet, a free port per member; member {@code i} lists the ports of
 * members {@code 0..i} (the ones that may already run), so a start never waits on a port nobody listens on.
 * Closes every member it made. Not thread-safe.
 */
final class TestFleet implements AutoCloseable {

    private static final AtomicInteger FLEETS = new AtomicInteger();

    private final String name = "t" + ProcessHandle.current().pid() + "-" + FLEETS.incrementAndGet();
    private final List<String> addresses = new ArrayList<>();
    private final List<ClusterMember> members = new ArrayList<>();

    /** A started member; {@code more} may add settings (a wall clock, say). */
    ClusterMember start(UnaryOperator<ClusterMember.Builder> more) throws InterruptedException {
        addresses.add("127.0.0.1:" + freePort());
        ClusterMember m = more.apply(ClusterMember.builder().name(name).member(addresses.get(addresses.size() - 1))
                .members(List.copyOf(addresses))).build();
        members.add(m);
        return m.start();
    }

    ClusterMember start() throws InterruptedException {
        return start(b -> b);
    }

    String name() {
        return name;
    }

    List<String> addresses() {
        return List.copyOf(addresses);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (int i = members.size() - 1; i >= 0; i--) {
            members.get(i).close();
        }
    }

    /** A ticker a test moves by hand. Thread-safe. */
    static final class ManualTicker implements Ticker {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(java.time.Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }
}
