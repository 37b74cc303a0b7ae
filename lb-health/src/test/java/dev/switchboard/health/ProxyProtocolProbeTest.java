package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.tls.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes of real servers that require a PROXY protocol header ({@link ProxyHeaderServer}: closes a connection that
 * does not open with a valid one): with the server's {@code proxyProtocol} the probes send it and the server stays
 * up; without it, it goes down. Every header is checked byte for byte by the server and again here.
 */
class ProxyProtocolProbeTest {

    @TempDir
    Path dir;

    private final RecordingSink sink = new RecordingSink();
    private final HealthChecker checker = HealthChecker.builder(sink).seed(11).build();
    private ProxyHeaderServer server;

    @AfterEach
    void tearDown() throws Exception {
        checker.close();
        if (server != null) {
            server.close();
        }
    }

    private static HealthCheck fast(HealthCheck.Builder b) {
        return b.interval(Duration.ofMillis(50)).timeout(Duration.ofSeconds(2)).rise(1).fall(1).build();
    }

    private void add(HealthCheck check, ProxyProtocol proxy) {
        checker.add(HealthTarget.of("mail", "owa", "ex01", Address.of("127.0.0.1", server.port()), check, proxy));
    }

    private void awaitUp(String reason) {
        Eventually.until("UP (" + reason + ")", () -> sink.lastIs("owa", "ex01", Health.UP, reason));
    }

    @Test
    void http_v1_upWithTheProbeConnectionsOwnAddresses() throws Exception {
        server = ProxyHeaderServer.http();
        add(fast(HealthCheck.http().path("/owa/healthcheck.htm")), ProxyProtocol.V1);

        awaitUp("status 200");
        ProxyHeaderServer.Received r = server.accepted.get(0);
        assertThat(r.text()).isEqualTo("PROXY TCP4 127.0.0.1 127.0.0.1 " + r.peerPort() + " " + server.port()
                + "\r\n");
        assertThat(server.refused).hasValue(0);
    }

    @Test
    void http_v2_upWithTheLocalCommand() throws Exception {
        server = ProxyHeaderServer.http();
        add(fast(HealthCheck.http()), ProxyProtocol.V2);

        awaitUp("status 200");
        assertThat(server.accepted.get(0).header()).isEqualTo(ProxyHeaderServer.V2_LOCAL);
        assertThat(server.refused).hasValue(0);
    }

    @Test
    void http_withoutTheHeader_downEveryProbeRefused() throws Exception {
        server = ProxyHeaderServer.http();
        add(fast(HealthCheck.http().initialState(Health.UP)), ProxyProtocol.NONE);

        Eventually.until("DOWN", () -> sink.lastIs("owa", "ex01", Health.DOWN, ""));
        assertThat(server.refused.get()).isPositive();
        assertThat(server.accepted).isEmpty();
        assertThat(server.requests).hasValue(0);
    }

    @Test
    void http_keptConnection_carriesTheHeaderOnceForManyProbes() throws Exception {
        server = ProxyHeaderServer.http();
        add(fast(HealthCheck.http().reuseConnection(true)), ProxyProtocol.V1);

        Eventually.until("five probes", () -> server.requests.get() >= 5);
        // a second header on the kept connection would not parse as a request: the server would close it
        assertThat(server.connections).hasValue(1);
        assertThat(server.accepted).hasSize(1);
        assertThat(sink.last("owa", "ex01").orElseThrow().health()).isEqualTo(Health.UP);
    }

    @Test
    void https_headerFirst_thenTheTlsHandshake_v1AndV2() throws Exception {
        TestPki.Issued ca = TestPki.ca("Switchboard Test CA");
        TestPki.Issued leaf = TestPki.leaf(ca, "ex01.test");
        server = new ProxyHeaderServer(ProxyHeaderServer.Mode.HTTPS, Optional.of(TestPki.serverContext(leaf, ca)));
        HealthCheck https = fast(HealthCheck.https().hostHeader("ex01.test")
                .trustCertificates(ca.writeCertificate(dir.resolve("ca.pem"))));
        add(https, ProxyProtocol.V2);

        awaitUp("status 200");
        assertThat(server.accepted.get(0).header()).isEqualTo(ProxyHeaderServer.V2_LOCAL);

        add(https, ProxyProtocol.V1); // replaces the target: same server, now version 1
        Eventually.until("a v1 header", () -> server.accepted.stream().anyMatch(r -> r.header()[0] == 'P'));
        ProxyHeaderServer.Received v1 = server.accepted.stream().filter(r -> r.header()[0] == 'P').findFirst()
                .orElseThrow();
        assertThat(v1.text()).isEqualTo(v1.expectedV1());
        awaitUp("status 200");
        assertThat(server.refused).hasValue(0);
    }

    @Test
    void https_withoutTheHeader_down() throws Exception {
        TestPki.Issued ca = TestPki.ca("Switchboard Test CA");
        TestPki.Issued leaf = TestPki.leaf(ca, "ex01.test");
        server = new ProxyHeaderServer(ProxyHeaderServer.Mode.HTTPS, Optional.of(TestPki.serverContext(leaf, ca)));
        add(fast(HealthCheck.https().hostHeader("ex01.test").insecure().initialState(Health.UP)), ProxyProtocol.NONE);

        Eventually.until("DOWN", () -> sink.lastIs("owa", "ex01", Health.DOWN, ""));
        assertThat(server.refused.get()).isPositive();
        assertThat(server.requests).hasValue(0);
    }

    @Test
    void tcp_v1_headerArrivesWhole_thenAFin() throws Exception {
        server = new ProxyHeaderServer(ProxyHeaderServer.Mode.TCP, Optional.empty());
        add(fast(HealthCheck.tcp()), ProxyProtocol.V1);

        awaitUp("connected, PROXY header sent");
        Eventually.until("three headers", () -> server.accepted.size() >= 3);
        for (ProxyHeaderServer.Received r : server.accepted) {
            assertThat(r.text()).isEqualTo(r.expectedV1());
        }
        assertThat(server.refused).hasValue(0);
    }

    @Test
    void tcp_v2_localHeader() throws Exception {
        server = new ProxyHeaderServer(ProxyHeaderServer.Mode.TCP, Optional.empty());
        add(fast(HealthCheck.tcp()), ProxyProtocol.V2);

        Eventually.until("two headers", () -> server.accepted.size() >= 2);
        assertThat(server.accepted.get(0).header()).isEqualTo(ProxyHeaderServer.V2_LOCAL);
        awaitUp("connected, PROXY header sent");
    }

    @Test
    void agentOnTheServersOwnPort_sendsTheHeaderBeforeReadingItsLine() throws Exception {
        server = new ProxyHeaderServer(ProxyHeaderServer.Mode.AGENT, Optional.empty());
        add(fast(HealthCheck.agent()), ProxyProtocol.V2);

        awaitUp("");
        assertThat(server.accepted.get(0).header()).isEqualTo(ProxyHeaderServer.V2_LOCAL);
        assertThat(checker.findLastProbe("mail", "owa", "ex01").orElseThrow().success()).isTrue();
    }
}
