package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.api.HealthCheck;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Probes against servers that refuse, hang or break: each is DOWN with its reason, and the checker goes on. */
class FailureModesTest {

    private final RecordingSink sink = new RecordingSink();
    private final RecordingListener listener = new RecordingListener();
    private final HealthChecker checker = HealthChecker.builder(sink).listener(listener).seed(7).build();

    @AfterEach
    void tearDown() {
        checker.close();
    }

    private static Address local(int port) {
        return Address.of("127.0.0.1", port);
    }

    @Test
    void http_hangingServer_isDownWithTimeoutWithinTheTimeout() throws Exception {
        try (TestServers.Misbehaving hang = new TestServers.Misbehaving(TestServers.Misbehaving.Mode.HANG)) {
            HealthCheck check = HealthCheck.http().initialState(Health.UP).fall(1)
                    .interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(150)).build();
            checker.add(HealthTarget.of("vs", "web", "s1", local(hang.port()), check));
            Eventually.until("UP -> DOWN", () -> !listener.transitions.isEmpty());

            HealthTransition t = listener.transitions.get(0);
            assertThat(t.from()).isEqualTo(Health.UP);
            assertThat(t.to()).isEqualTo(Health.DOWN);
            assertThat(t.reason()).isEqualTo("timeout");
            assertThat(sink.lastIs("web", "s1", Health.DOWN, "timeout")).isTrue();
            // the server never answers: only the check's timeout can have ended the probe, and not before it was due
            ProbeResult probe = checker.findLastProbe("vs", "web", "s1").orElseThrow();
            assertThat(probe.reason()).isEqualTo("timeout");
            assertThat(probe.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
    }

    @Test
    void http_serverClosingMidResponse_isDownWithIoError() throws Exception {
        try (TestServers.Misbehaving broken =
                     new TestServers.Misbehaving(TestServers.Misbehaving.Mode.CLOSE_MID_RESPONSE)) {
            HealthCheck check = HealthCheck.http().initialState(Health.UP).fall(1).bodyPattern("hal")
                    .interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(500)).build();
            checker.add(HealthTarget.of("vs", "web", "s1", local(broken.port()), check));
            Eventually.until("DOWN", () -> !listener.transitions.isEmpty());
            assertThat(listener.transitions.get(0).reason()).startsWith("io error:");
        }
    }

    @Test
    void http_serverAnsweringGarbage_isDownWithAReasonAndKeepsBeingProbed() throws Exception {
        try (TestServers.Misbehaving garbage = new TestServers.Misbehaving(TestServers.Misbehaving.Mode.GARBAGE)) {
            HealthCheck check = HealthCheck.http().initialState(Health.UP).fall(1)
                    .interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(500)).build();
            checker.add(HealthTarget.of("vs", "web", "s1", local(garbage.port()), check));
            Eventually.until("DOWN", () -> !listener.transitions.isEmpty());
            assertThat(listener.transitions.get(0).reason()).isEqualTo("not HTTP: '\\x00\\x07 not http at all'");
            try (TestServers.Misbehaving hang = new TestServers.Misbehaving(TestServers.Misbehaving.Mode.HANG)) {
                checker.add(HealthTarget.of("vs", "web", "s2", local(hang.port()), check));
                Eventually.until("the scheduler still runs", () -> listener.transitions.size() == 2);
                assertThat(listener.transitions.get(1).reason()).isEqualTo("timeout");
            }
        }
    }

    @Test
    void http_connectionRefused_isDownWithThatReason() throws Exception {
        HealthCheck check = HealthCheck.http().interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(500)).build();
        checker.add(HealthTarget.of("vs", "web", "s1", local(TestServers.closedPort()), check));
        Eventually.until("first verdict", () -> sink.lastIs("web", "s1", Health.DOWN, "connection refused"));
    }

    @Test
    void tcp_listeningServer_isUp() throws Exception {
        try (TestServers.Misbehaving accepting =
                     new TestServers.Misbehaving(TestServers.Misbehaving.Mode.ACCEPT_ONLY)) {
            HealthCheck check = HealthCheck.tcp().interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(500))
                    .build();
            checker.add(HealthTarget.of("vs", "smtp", "s1", local(accepting.port()), check));
            Eventually.until("UP", () -> sink.lastIs("smtp", "s1", Health.UP, "connected"));
        }
    }

    @Test
    void tcp_serverGoingAway_isDownWithConnectionRefused() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = server.getLocalPort();
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    server.accept().close();
                } catch (Exception e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        HealthCheck check = HealthCheck.tcp().rise(1).fall(2)
                .interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(500)).build();
        checker.add(HealthTarget.of("vs", "smtp", "s1", local(port), check));
        Eventually.until("UP", () -> checker.findHealth("vs", "smtp", "s1").orElse(Health.DOWN) == Health.UP);

        server.close();
        Eventually.until("DOWN", () -> listener.transitions.size() == 2);
        assertThat(listener.transitions.get(1).to()).isEqualTo(Health.DOWN);
        assertThat(listener.transitions.get(1).reason()).isEqualTo("connection refused");
    }

    @Test
    void tcp_portOverride_probesThatPort() throws Exception {
        try (TestServers.Misbehaving accepting =
                     new TestServers.Misbehaving(TestServers.Misbehaving.Mode.ACCEPT_ONLY)) {
            HealthCheck check = HealthCheck.tcp().port(accepting.port())
                    .interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(500)).build();
            checker.add(HealthTarget.of("vs", "smtp", "s1", local(TestServers.closedPort()), check));
            Eventually.until("UP through the override port", () -> sink.lastIs("smtp", "s1", Health.UP, "connected"));
        }
    }
}
