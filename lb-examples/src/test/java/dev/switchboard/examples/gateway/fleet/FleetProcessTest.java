package dev.switchboard.examples.gateway.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.testing.LoopbackPorts;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.examples.gateway.fleet.FleetClients.Reply;
import dev.switchboard.examples.gateway.fleet.FleetClients.TlsReply;
import dev.switchboard.netty.testing.TcpBackend;
import dev.switchboard.tls.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of reference gateways, each a JVM of its own with a {@code cluster} section, in front of the same real
 * servers: clients pinned through one member (by source IP, by a learned server cookie, by TLS session ID) keep their
 * real server through another member after the first is killed with SIGKILL, and through a member that starts after
 * they were pinned. Six clients per mode over three real servers, checked in the reverse order of the pins, so that
 * a scheduler cannot pass the test by chance.
 */
class FleetProcessTest {

    private static final Duration START = Duration.ofSeconds(60);
    private static final int CLIENTS = 6;
    private static final List<String> SERVERS = List.of("ex01", "ex02", "ex03");

    @TempDir
    Path dir;

    private final List<GatewayProcess> gateways = new ArrayList<>();
    private final List<TcpBackend> tlsServers = new ArrayList<>();
    private NamedHttpServers httpServers;
    private TestPki.Issued certificate;

    /**
     * One member's ports, picked free by the test: all on 127.0.0.1 but {@code by-session}, which every member
     * binds on the same port of a loopback address of its own ({@code sessionIp}), as a virtual IP that moves keeps
     * its port (a TLS client offers its session to the same port only).
     */
    private record Member(String name, int cluster, int admin, int byIp, int byCookie, String sessionIp,
            int bySession) {
        String clusterAddress() {
            return "\"127.0.0.1:" + cluster + "\"";
        }
    }

    /** What each client got through the member it was pinned on. */
    private record Pins(List<String> byIp, List<String> sids, List<String> byCookie, List<SSLContext> tlsClients,
            List<TlsReply> bySession) {
    }

    @BeforeEach
    void realServers() throws IOException {
        httpServers = new NamedHttpServers(SERVERS.toArray(String[]::new));
        certificate = TestPki.selfSigned(FleetClients.TLS_HOST);
        for (String name : SERVERS) {
            // a context (so a session cache) per real server: only the server that made a session can resume it
            tlsServers.add(TcpBackend.tls(name, TestPki.serverContext(certificate)));
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        for (GatewayProcess g : gateways) {
            g.close();
        }
        httpServers.close();
        for (TcpBackend b : tlsServers) {
            b.close();
        }
    }

    @Test
    void pinnedThroughA_aKilledWithSigkill_everyClientKeepsItsRealServerThroughB() throws Exception {
        List<Member> all = members("a", "b");
        Member a = all.get(0);
        Member b = all.get(1);
        GatewayProcess gatewayA = start(a, all);
        GatewayProcess gatewayB = start(b, all);
        assertThat(gatewayB.log()).as("B joined A").anyMatch(l -> l.contains("ready, 2 member(s)"));

        Pins pins = pin(a);
        Eventually.until("B to hold A's entries", Duration.ofSeconds(10),
                () -> gatewayB.persistenceEntries("by-ip") == CLIENTS
                        && gatewayB.persistenceEntries("by-cookie") == CLIENTS
                        && gatewayB.persistenceEntries("by-session") == CLIENTS);
        gatewayA.kill();

        assertPinned(b, pins);
    }

    @Test
    void threeMembers_lateMemberStartsAfterThePins_itsFirstRequestForEachClientGoesToThePinnedServer()
            throws Exception {
        List<Member> all = members("a", "b", "c");
        Member a = all.get(0);
        Member c = all.get(2);
        start(a, all);
        start(all.get(1), all);
        Pins pins = pin(a);

        GatewayProcess gatewayC = start(c, all); // ready once the entries of A and B are loaded
        assertThat(gatewayC.log()).as("C joined A and B").anyMatch(l -> l.contains("ready, 3 member(s)"));

        assertPinned(c, pins);
    }

    /** Pins {@value #CLIENTS} clients per mode through {@code m}; checks that they are spread over every server. */
    private Pins pin(Member m) throws Exception {
        List<String> byIp = new ArrayList<>();
        List<String> sids = new ArrayList<>();
        List<String> byCookie = new ArrayList<>();
        List<SSLContext> tlsClients = new ArrayList<>();
        List<TlsReply> bySession = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            byIp.add(FleetClients.get(sourceIp(i), m.byIp(), Optional.empty()).servedBy());
            Reply first = FleetClients.get("127.0.0.1", m.byCookie(), Optional.empty());
            sids.add(first.sid().orElseThrow(() -> new AssertionError("no SID cookie: " + first)));
            byCookie.add(first.servedBy());
            SSLContext client = TestPki.clientContext(certificate, "TLS");
            tlsClients.add(client);
            bySession.add(FleetClients.tls(client, m.sessionIp(), m.bySession()));
        }
        assertThat(byIp).as("source-ip pins").hasSameElementsAs(SERVERS);
        assertThat(byCookie).as("server-cookie pins").hasSameElementsAs(SERVERS);
        assertThat(bySession).extracting(TlsReply::servedBy).as("ssl-session-id pins").hasSameElementsAs(SERVERS);
        return new Pins(byIp, sids, byCookie, tlsClients, bySession);
    }

    /** Every client of {@code pins}, last pinned first, reaches its real server through {@code m}. */
    private void assertPinned(Member m, Pins pins) throws Exception {
        List<String> byIp = Arrays.asList(new String[CLIENTS]);
        List<String> byCookie = Arrays.asList(new String[CLIENTS]);
        List<TlsReply> bySession = Arrays.asList(new TlsReply[CLIENTS]);
        for (int i = CLIENTS - 1; i >= 0; i--) {
            byIp.set(i, FleetClients.get(sourceIp(i), m.byIp(), Optional.empty()).servedBy());
            byCookie.set(i, FleetClients.get("127.0.0.1", m.byCookie(), Optional.of(pins.sids().get(i))).servedBy());
            bySession.set(i, FleetClients.tls(pins.tlsClients().get(i), m.sessionIp(), m.bySession()));
        }
        assertThat(byIp).as("source-ip clients through %s", m.name()).isEqualTo(pins.byIp());
        assertThat(byCookie).as("server-cookie clients through %s", m.name()).isEqualTo(pins.byCookie());
        assertThat(bySession).as("ssl-session-id clients through %s: same server, session resumed", m.name())
                .isEqualTo(pins.bySession());
    }

    /** 127.0.0.2, 127.0.0.3, ...: a source address of its own per client. */
    private static String sourceIp(int client) {
        return "127.0.0." + (client + 2);
    }

    private GatewayProcess start(Member self, List<Member> all) throws Exception {
        Path file = Files.writeString(dir.resolve(self.name() + ".json"), config(self, all));
        GatewayProcess gateway = GatewayProcess.start(self.name(), file, self.admin(), START);
        gateways.add(gateway);
        return gateway;
    }

    private String config(Member self, List<Member> all) {
        String members = all.stream().map(Member::clusterAddress).collect(Collectors.joining(", "));
        String http = SERVERS.stream().map(s -> "{\"name\": \"" + s + "\", \"address\": \""
                + httpServers.address(s) + "\"}").collect(Collectors.joining(", "));
        String tls = tlsServers.stream().map(s -> "{\"name\": \"" + s.name() + "\", \"address\": \""
                + s.address() + "\"}").collect(Collectors.joining(", "));
        return """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "cluster": { "name": "fleet-test", "member": "127.0.0.1:%d", "members": [%s],
                               "batchInterval": "20ms", "syncTimeout": "10s" },
                  "accessLog": false,
                  "virtualServices": [
                    { "name": "by-ip", "listen": "127.0.0.1:%d", "protocol": "http", "scheduling": "round-robin",
                      "persistence": { "mode": "source-ip", "sourceIpMask": 32, "timeout": "10m" },
                      "subServices": [ { "name": "pool", "default": true, "realServers": [%s] } ] },
                    { "name": "by-cookie", "listen": "127.0.0.1:%d", "protocol": "http", "scheduling": "round-robin",
                      "persistence": { "mode": "server-cookie", "cookieName": "SID", "timeout": "10m" },
                      "subServices": [ { "name": "pool", "default": true, "realServers": [%s] } ] },
                    { "name": "by-session", "listen": "%s:%d", "protocol": "tcp", "scheduling": "round-robin",
                      "persistence": { "mode": "ssl-session-id", "timeout": "10m" },
                      "subServices": [ { "name": "pool", "default": true, "realServers": [%s] } ] } ] }
                """.formatted(self.admin(), self.cluster(), members, self.byIp(), http, self.byCookie(), http,
                self.sessionIp(), self.bySession(), tls);
    }

    /** Members named a, b, c..., each with free ports; their {@code by-session} ports are all the same. */
    private static List<Member> members(String... names) throws IOException {
        int sessionPort = sharedPort(names.length);
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            members.add(member(names[i], sessionIp(i), sessionPort));
        }
        return members;
    }

    /** 127.0.0.21, 127.0.0.22, ...: member {@code i}'s address for its TLS virtual service. */
    private static String sessionIp(int member) {
        return "127.0.0." + (21 + member);
    }

    /** A port free on the first {@code count} session addresses; a few tries at most. */
    private static int sharedPort(int count) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            List<ServerSocket> held = new ArrayList<>();
            try {
                ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(sessionIp(0)));
                held.add(first);
                for (int i = 1; i < count; i++) {
                    held.add(new ServerSocket(first.getLocalPort(), 1, InetAddress.getByName(sessionIp(i))));
                }
                return first.getLocalPort();
            } catch (IOException taken) {
                // that port is taken on another address: try another
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
        }
        throw new IOException("no port free on " + count + " loopback addresses in 20 tries");
    }

    private static Member member(String name, String sessionIp, int sessionPort) throws IOException {
        int[] ports = LoopbackPorts.pick(4);
        return new Member(name, ports[0], ports[1], ports[2], ports[3], sessionIp, sessionPort);
    }
}
