package dev.switchboard.examples.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports on 127.0.0.1 for tests that must write a port into a gateway's file before the gateway binds it (a fleet
 * member's cluster port, a shared address, a child process's admin API). A port taken from the system with port 0
 * and released comes from the ephemeral range, where any outgoing connection of the machine (a Hazelcast member
 * dialling its peers, an HTTP client) may take it again before the gateway binds it; these ports come from below
 * that range, where nothing takes a port unless asked for it, and never repeat within a JVM.
 */
public final class LoopbackPorts {

    /** The first port handed out: above the well-known and the usual registered services' ports. */
    private static final int LOW = 20_000;
    private static final int HIGH = ephemeralStart();
    private static final AtomicInteger NEXT = new AtomicInteger(
            LOW + ThreadLocalRandom.current().nextInt(Math.max(1, HIGH - LOW)));

    private LoopbackPorts() {
    }

    /** A port free on 127.0.0.1 now, below the ephemeral range, not handed out before by this JVM. */
    public static int pick() {
        for (int tries = 0; tries < HIGH - LOW; tries++) {
            int port = LOW + Math.floorMod(NEXT.getAndIncrement() - LOW, HIGH - LOW);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 between " + LOW + " and " + HIGH);
    }

    /** {@code count} different ports, each as {@link #pick()}. */
    public static int[] pick(int count) {
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = pick();
        }
        return ports;
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (Linux), 32768 where it cannot be read. */
    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOW + 1_000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
