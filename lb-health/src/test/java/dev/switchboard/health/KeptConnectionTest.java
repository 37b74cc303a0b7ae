package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.health.internal.KeepAliveServer;
import dev.switchboard.health.internal.KeepAliveServer.Action;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A {@link HealthChecker}'s plain-HTTP probes keeping their connection: what the server sees. */
class KeptConnectionTest {

    private final RecordingSink sink = new RecordingSink();
    private final RecordingListener listener = new RecordingListener();
    private final HealthChecker checker = HealthChecker.builder(sink).listener(listener).seed(7).build();

    @AfterEach
    void tearDown() {
        checker.close();
    }

    private static HealthCheck check(Duration interval) {
        return HealthCheck.http().path("/health").interval(interval).timeout(Duration.ofMillis(500))
                .initialState(Health.UP).rise(1).fall(1).build();
    }

    private static HealthTarget target(KeepAliveServer server, HealthCheck check) {
        return HealthTarget.of("vs", "web", "s1", Address.of("127.0.0.1", server.port()), check);
    }

    @Test
    void serverClosingConnectionsBetweenAndBeforeAnswers_noFailureIsCounted() throws Exception {
        // even connections: the third request is closed unanswered; odd ones: closed right after the first answer
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> c % 2 == 1 ? Action.ANSWER_THEN_CLOSE
                : r == 2 ? Action.CLOSE_UNANSWERED : Action.ANSWER)) {
            checker.add(target(server, check(Duration.ofMillis(20))));
            Eventually.until("30 requests served", () -> server.requests.get() >= 30);
            assertThat(server.connections.get()).isGreaterThan(5);
            assertThat(listener.transitions).isEmpty(); // fall 1: a single failure would take it down
            assertThat(sink.reports).noneMatch(r -> r.health() == Health.DOWN);
            assertThat(checker.findLastProbe("vs", "web", "s1")).hasValueSatisfying(p ->
                    assertThat(p.success()).isTrue());
        }
    }

    @Test
    void checkerClose_closesTheKeptConnection() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> Action.ANSWER)) {
            checker.add(target(server, check(Duration.ofSeconds(1))));
            Eventually.until("a first probe", () -> sink.lastIs("web", "s1", Health.UP, "status 200"));
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.closedByPeer.get()).isZero();
            checker.close();
            Eventually.until("the kept connection closed", () -> server.closedByPeer.get() == 1);
        }
    }

    @Test
    void targetRemoved_closesTheKeptConnection() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> Action.ANSWER)) {
            HealthTarget t = target(server, check(Duration.ofSeconds(1)));
            checker.add(t);
            Eventually.until("a first probe", () -> sink.lastIs("web", "s1", Health.UP, "status 200"));
            checker.remove(t);
            Eventually.until("the kept connection closed", () -> server.closedByPeer.get() == 1);
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void reuseOn_manyProbesOneConnection_reuseOffOneConnectionEach() throws Exception {
        try (KeepAliveServer reuse = new KeepAliveServer((c, r) -> Action.ANSWER);
             KeepAliveServer fresh = new KeepAliveServer((c, r) -> Action.ANSWER)) {
            checker.add(target(reuse, check(Duration.ofMillis(20))));
            checker.add(HealthTarget.of("vs", "web", "s2", Address.of("127.0.0.1", fresh.port()),
                    check(Duration.ofMillis(20)).newBuilder().reuseConnection(false).build()));
            Eventually.until("10 requests each", () -> reuse.requests.get() >= 10 && fresh.requests.get() >= 10);
            assertThat(reuse.connections.get()).isEqualTo(1);
            assertThat(fresh.connections.get()).isGreaterThanOrEqualTo(10);
            assertThat(listener.transitions).isEmpty();
        }
    }
}
