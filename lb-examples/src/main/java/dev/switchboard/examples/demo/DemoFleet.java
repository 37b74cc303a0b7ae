package dev.switchboard.examples.demo;

import dev.switchboard.api.Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Three embedded "Exchange servers" for the demo, {@code ex01}, {@code ex02} and {@code ex03} on 127.0.0.1, each
 * serving the workloads {@code /owa}, {@code /ews}, {@code /mapi}, {@code /Microsoft-Server-ActiveSync} and
 * {@code /autodiscover} (any sub-path, any case of the first segment):
 * <ul>
 *   <li>a request gets a small JSON body naming the host and the workload and echoing the method, path, query,
 *       {@code X-Forwarded-For} and the number of body bytes read;</li>
 *   <li>{@code /owa} sets the host's own session cookie ({@value DemoHost#OWA_COOKIE}) when the request has none,
 *       for server-cookie persistence;</li>
 *   <li>{@code /<workload>/healthcheck.htm} answers 200, or 503 while that workload is taken down on that host with
 *       {@link #setWorkloadUp};</li>
 *   <li>{@code Expect: 100-continue} is answered with {@code 100 Continue} as soon as the request head is in,
 *       before the body is read, as IIS does (the JDK server sends it, with a needless {@code Content-Length: 0});
 *       any other expectation gets 417, as from IIS;</li>
 *   <li>a path outside the workloads gets 404.</li>
 * </ul>
 *
 * <pre>{@code
 * try (DemoFleet fleet = DemoFleet.start(9000)) {          // ex01 on 9001, ex02 on 9002, ex03 on 9003
 *     fleet.setWorkloadUp("ex02", "owa", false);           // ex02's /owa/healthcheck.htm now answers 503
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class DemoFleet implements AutoCloseable {

    /** The workloads every host serves, as their paths spell them. */
    public static final List<String> WORKLOADS = List.of("owa", "ews", "mapi", "Microsoft-Server-ActiveSync",
            "autodiscover");

    /** The hosts' names. */
    public static final List<String> HOSTS = List.of("ex01", "ex02", "ex03");

    private final Map<String, DemoHost> hosts;

    private DemoFleet(Map<String, DemoHost> hosts) {
        this.hosts = hosts;
    }

    /**
     * Starts the three hosts on {@code basePort + 1}, {@code + 2} and {@code + 3}, or on free ports when
     * {@code basePort} is 0.
     *
     * @throws UncheckedIOException naming the port when a host cannot bind
     * @throws IllegalArgumentException when {@code basePort} is outside 0..65532
     */
    public static DemoFleet start(int basePort) {
        if (basePort < 0 || basePort > 65535 - HOSTS.size()) {
            throw new IllegalArgumentException("basePort: " + basePort + " (expected: 0..65532)");
        }
        Map<String, DemoHost> started = new LinkedHashMap<>();
        List<String> names = HOSTS;
        for (int i = 0; i < names.size(); i++) {
            int port = basePort == 0 ? 0 : basePort + i + 1;
            try {
                started.put(names.get(i), DemoHost.start(names.get(i), port));
            } catch (IOException e) {
                started.values().forEach(DemoHost::close);
                throw new UncheckedIOException("demo host " + names.get(i) + ": cannot bind 127.0.0.1:" + port, e);
            }
        }
        return new DemoFleet(Collections.unmodifiableMap(started));
    }

    /** Each host's name and address, in host order. */
    public Map<String, Address> addresses() {
        Map<String, Address> out = new LinkedHashMap<>();
        hosts.forEach((name, host) -> out.put(name, host.address()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Takes a workload down on one host (its health page answers 503) or brings it back (200). The other workloads
     * and hosts are unaffected, and the workload's pages still answer: only the health check sees the change.
     *
     * @throws IllegalArgumentException naming the host or workload that does not exist
     */
    public void setWorkloadUp(String host, String workload, boolean up) {
        host(host).setUp(workload(workload), up);
    }

    /** Whether the workload is up on the host. */
    public boolean isWorkloadUp(String host, String workload) {
        return host(host).isUp(workload(workload));
    }

    private DemoHost host(String name) {
        DemoHost host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("host: '" + name + "' (expected: one of " + HOSTS + ")");
        }
        return host;
    }

    private static String workload(String name) {
        return WORKLOADS.stream().filter(w -> w.equalsIgnoreCase(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("workload: '" + name + "' (expected: one of " + WORKLOADS + ")"));
    }

    /** Stops every host. */
    @Override
    public void close() {
        hosts.values().forEach(DemoHost::close);
    }
}
