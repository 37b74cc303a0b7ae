package dev.switchboard.benchmarks.cluster;

import dev.switchboard.cluster.ClusterMember;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cluster members of one benchmark JVM on 127.0.0.1 (no secret: loopback), each on a free port, all with the same
 * batch interval; member {@code i} lists the members started before it, so a start never waits on a port nobody
 * listens on. Closes every member it started, last first. Not thread-safe (set-up and tear-down code).
 */
final class LocalMembers implements AutoCloseable {

    private final String name = "bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
    private final Duration batchInterval;
    private final List<String> addresses = new ArrayList<>();
    private final List<ClusterMember> members = new ArrayList<>();

    /** @param batchInterval how often each member ships its writes ({@code ClusterMember.Builder.batchInterval}) */
    LocalMembers(Duration batchInterval) {
        this.batchInterval = batchInterval;
    }

    /**
     * Starts one more member and waits until it has joined the others.
     *
     * @throws IllegalStateException when it does not see every member started before it within 30 seconds
     */
    ClusterMember start() throws InterruptedException {
        addresses.add("127.0.0.1:" + freePort());
        ClusterMember m = ClusterMember.builder().name(name).member(addresses.get(addresses.size() - 1))
                .members(List.copyOf(addresses)).batchInterval(batchInterval).build();
        members.add(m);
        m.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (ClusterMember other : members) {
            while (other.memberCount() != members.size()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("member " + other.id() + " sees " + other.memberCount()
                            + " members (expected: " + members.size() + ")");
                }
                Thread.sleep(10);
            }
        }
        return m;
    }

    private static int freePort() {
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
        members.clear();
    }
}
