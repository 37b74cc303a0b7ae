package dev.switchboard.examples.gateway.fleet;

import dev.switchboard.examples.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A fleet of reference gateways over HTTP only, each a JVM of its own ({@link GatewayProcess}) in front of the same
 * {@link NamedHttpServers}: two virtual services per member, {@value #BY_IP} (round robin, {@code source-ip}
 * persistence with a /32 mask, so each loopback source address is a client of its own) and {@value #PLAIN} (round
 * robin, no persistence), each with one sub-service {@value #POOL}. {@link #close()} kills every gateway it started
 * (SIGKILL) and stops the servers. Not thread-safe: one test thread.
 */
final class HttpFleet implements AutoCloseable {

    static final String BY_IP = "by-ip";
    static final String PLAIN = "plain";
    static final String POOL = "pool";
    static final Duration START = Duration.ofSeconds(60);

    /**
     * One member's ports, free when picked, all on 127.0.0.1: its cluster port ({@code bind}), the address its
     * peers reach it at ({@code advertised}: the cluster port itself, or a relay's port in front of it), its admin
     * API and its two virtual services.
     */
    record Member(String name, int cluster, int advertised, int admin, int byIp, int plain) {

        /** The same member, reached by its peers at {@code port} (a relay to {@link #cluster()}). */
        Member advertisedAt(int port) {
            return new Member(name, cluster, port, admin, byIp, plain);
        }

        boolean behindRelay() {
            return advertised != cluster;
        }

        String advertisedAddress() {
            return "127.0.0.1:" + advertised;
        }
    }

    private final Path dir;
    private final String clusterName;
    private final NamedHttpServers servers;
    private final List<GatewayProcess> gateways = new ArrayList<>();

    /**
     * Starts the real servers {@code serverNames}; the gateways' configuration files go to {@code dir}.
     *
     * @throws IOException when a server cannot bind
     */
    HttpFleet(Path dir, String... serverNames) throws IOException {
        this.dir = dir;
        this.clusterName = "proc-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        this.servers = new NamedHttpServers(serverNames);
    }

    NamedHttpServers servers() {
        return servers;
    }

    /** Members named {@code names}, each with free ports, reached by its peers at its own cluster port. */
    static List<Member> members(String... names) throws IOException {
        List<Member> members = new ArrayList<>();
        for (String name : names) {
            int[] p = LoopbackPorts.pick(5);
            members.add(new Member(name, p[0], p[0], p[1], p[2], p[3]));
        }
        return members;
    }

    /**
     * Starts {@code self} in a fleet of {@code all} (every member's advertised address in {@code members}) and waits
     * until it prints {@code ready}: joined, the peers' entries and states loaded.
     */
    GatewayProcess start(Member self, List<Member> all) throws Exception {
        Path file = Files.writeString(dir.resolve(self.name() + ".json"), config(self, all));
        GatewayProcess gateway = GatewayProcess.start(self.name(), file, self.admin(), START);
        gateways.add(gateway);
        return gateway;
    }

    private String config(Member self, List<Member> all) {
        String members = all.stream().map(m -> "\"" + m.advertisedAddress() + "\"").collect(Collectors.joining(", "));
        String bind = self.behindRelay() ? "\"bind\": \"127.0.0.1:" + self.cluster() + "\", " : "";
        String real = servers.names().stream().map(s -> "{\"name\": \"" + s + "\", \"address\": \""
                + servers.address(s) + "\"}").collect(Collectors.joining(", "));
        return """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "cluster": { "name": "%s", "member": "%s", %s"members": [%s],
                               "batchInterval": "20ms", "syncTimeout": "10s" },
                  "accessLog": false,
                  "virtualServices": [
                    { "name": "%s", "listen": "127.0.0.1:%d", "protocol": "http", "scheduling": "round-robin",
                      "persistence": { "mode": "source-ip", "sourceIpMask": 32, "timeout": "10m" },
                      "subServices": [ { "name": "%s", "default": true, "realServers": [%s] } ] },
                    { "name": "%s", "listen": "127.0.0.1:%d", "protocol": "http", "scheduling": "round-robin",
                      "subServices": [ { "name": "%s", "default": true, "realServers": [%s] } ] } ] }
                """.formatted(self.admin(), clusterName, self.advertisedAddress(), bind, members, BY_IP, self.byIp(),
                POOL, real, PLAIN, self.plain(), POOL, real);
    }

    /** The real server that answers a {@code GET /} from {@code sourceIp} through {@code m}'s {@value #BY_IP}. */
    static String byIp(Member m, String sourceIp) throws IOException {
        FleetClients.Reply reply = FleetClients.get(sourceIp, m.byIp(), Optional.empty());
        if (reply.status() != 200) {
            throw new AssertionError(sourceIp + " through " + m.name() + ": " + reply);
        }
        return reply.servedBy();
    }

    /** The real server of each client of {@code sourceIps} through {@code m}'s {@value #BY_IP}, in that order. */
    static List<String> byIp(Member m, List<String> sourceIps) throws IOException {
        List<String> served = new ArrayList<>();
        for (String ip : sourceIps) {
            served.add(byIp(m, ip));
        }
        return served;
    }

    /** {@code count} loopback source addresses from 127.0.0.{@code first}: a client (a persistence key) each. */
    static List<String> sourceIps(int first, int count) {
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ips.add("127.0.0." + (first + i));
        }
        return ips;
    }


    /** Kills every gateway started (SIGKILL, waited for), then stops the real servers. */
    @Override
    public void close() throws InterruptedException {
        try {
            for (GatewayProcess g : gateways) {
                g.close();
            }
        } finally {
            servers.close();
        }
    }
}
