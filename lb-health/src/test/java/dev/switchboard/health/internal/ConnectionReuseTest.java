package dev.switchboard.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.health.internal.KeepAliveServer.Action;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain-HTTP probes on the {@link TcpProbe} on its {@link HealthLoop} keeping their connection between probes, against a real server. */
class ConnectionReuseTest {

    private static final HealthCheck REUSE = HealthCheck.http().path("/health").timeout(Duration.ofSeconds(2))
            .build();
    private static final HealthCheck NO_REUSE = REUSE.newBuilder().reuseConnection(false).build();

    private final LoopedProbe looped = new LoopedProbe();

    @AfterEach
    void tearDown() throws InterruptedException {
        looped.close();
    }

    private ProbeOutcome run(KeepAliveServer server, HealthCheck check) throws Exception {
        return looped.run(Address.of("127.0.0.1", server.port()), check);
    }

    @Test
    void reuseOn_fiveProbes_oneConnectionAndNoConnectionHeader() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> Action.ANSWER)) {
            for (int i = 0; i < 5; i++) {
                ProbeOutcome o = run(server, REUSE);
                assertThat(o.success()).as(o.reason()).isTrue();
            }
            assertThat(server.requests.get()).isEqualTo(5);
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.heads.get(0)).isEqualTo("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nUser-Agent: switchboard-health\r\n\r\n");
            assertThat(server.closedByPeer.get()).isZero();
        }
    }

    @Test
    void reuseOff_fiveProbes_fiveConnectionsEachWithConnectionClose() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> Action.ANSWER)) {
            for (int i = 0; i < 5; i++) {
                assertThat(run(server, NO_REUSE).success()).isTrue();
            }
            assertThat(server.connections.get()).isEqualTo(5);
            assertThat(server.heads).allSatisfy(h -> assertThat(h).endsWith("Connection: close\r\n\r\n"));
            Eventually.until("every connection closed by the probe", () -> server.closedByPeer.get() == 5);
        }
    }

    @Test
    void chunkedAnswerWithTrailer_isReadToItsEnd_andTheConnectionReused() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> Action.ANSWER_CHUNKED)) {
            HealthCheck check = REUSE.newBuilder().bodyPattern("^ok$").build();
            for (int i = 0; i < 3; i++) {
                ProbeOutcome o = run(server, check);
                assertThat(o.reason()).isEqualTo("status 200");
            }
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void serverClosesIdleConnection_nextProbeSucceedsOnANewConnection() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> Action.ANSWER)) {
            assertThat(run(server, REUSE).success()).isTrue();
            server.closeOpenConnections();
            ProbeOutcome o = run(server, REUSE);
            assertThat(o.success()).as(o.reason()).isTrue();
            assertThat(server.connections.get()).isEqualTo(2);
            assertThat(run(server, REUSE).success()).isTrue();
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void serverClosesRightAfterAKeepAliveAnswer_everyProbeSucceeds() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> Action.ANSWER_THEN_CLOSE)) {
            for (int i = 0; i < 5; i++) {
                ProbeOutcome o = run(server, REUSE);
                assertThat(o.success()).as(o.reason()).isTrue();
            }
            assertThat(server.connections.get()).isEqualTo(5);
            assertThat(server.requests.get()).isBetween(5, 9); // a probe may find its connection closed: one retry
        }
    }

    @Test
    void connectionCloseAnswer_nextProbeReconnects() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> Action.ANSWER_CONNECTION_CLOSE)) {
            for (int i = 0; i < 3; i++) {
                assertThat(run(server, REUSE).success()).isTrue();
            }
            assertThat(server.connections.get()).isEqualTo(3);
            assertThat(server.requests.get()).isEqualTo(3); // never sent on a connection the server closed
        }
    }

    @Test
    void http10OrBytesBeyondTheAnswer_theProbeClosesTheConnection() throws Exception {
        for (Action answer : new Action[] {Action.ANSWER_HTTP10, Action.ANSWER_TOO_LONG}) {
            try (KeepAliveServer server = new KeepAliveServer((c, r) -> answer)) {
                for (int i = 0; i < 3; i++) {
                    ProbeOutcome o = run(server, REUSE);
                    assertThat(o.success()).as(answer + ": " + o.reason()).isTrue();
                }
                assertThat(server.connections.get()).as(answer.name()).isEqualTo(3);
                Eventually.until(answer + ": every connection closed by the probe", () -> server.closedByPeer.get() == 3);
            }
        }
    }

    @Test
    void bytesOnAnIdleConnection_theProbeClosesIt() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> Action.ANSWER)) {
            assertThat(run(server, REUSE).success()).isTrue();
            server.writeToOpenConnections("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n");
            Eventually.until("the idle connection closed by the probe", () -> server.closedByPeer.get() == 1);
            ProbeOutcome o = run(server, REUSE);
            assertThat(o.reason()).isEqualTo("status 200");
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void reusedConnectionClosedOrResetBeforeTheAnswer_oneRetryOnANewConnection() throws Exception {
        for (Action unanswered : new Action[] {Action.CLOSE_UNANSWERED, Action.RESET_UNANSWERED}) {
            try (KeepAliveServer server = new KeepAliveServer((c, r) -> c == 0 && r == 1 ? unanswered
                    : Action.ANSWER)) {
                assertThat(run(server, REUSE).success()).isTrue();
                ProbeOutcome o = run(server, REUSE);
                assertThat(o.success()).as(unanswered + ": " + o.reason()).isTrue();
                assertThat(server.connections.get()).isEqualTo(2);
                assertThat(server.requests.get()).isEqualTo(3);
            }
        }
    }

    @Test
    void retriedConnectionAlsoClosedUnanswered_theProbeFails() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> c == 0 && r == 0 ? Action.ANSWER
                : Action.CLOSE_UNANSWERED)) {
            assertThat(run(server, REUSE).success()).isTrue();
            ProbeOutcome o = run(server, REUSE);
            assertThat(o.success()).isFalse();
            assertThat(o.reason()).isEqualTo("connection closed before the status line");
            assertThat(server.connections.get()).isEqualTo(2);
            assertThat(server.requests.get()).isEqualTo(3);
        }
    }

    @Test
    void failedProbe_closesTheConnection() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> Action.ANSWER)) {
            HealthCheck wantsOther = REUSE.newBuilder().expectStatus(204).build();
            assertThat(run(server, wantsOther).reason()).isEqualTo("status 200 (expected: [204])");
            Eventually.until("the connection closed by the probe", () -> server.closedByPeer.get() == 1);
            assertThat(run(server, wantsOther).success()).isFalse();
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void release_closesTheKeptConnection() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer((c, r) -> Action.ANSWER)) {
            assertThat(run(server, REUSE).success()).isTrue();
            looped.probe.release(Address.of("127.0.0.1", server.port()), REUSE);
            Eventually.until("the kept connection closed", () -> server.closedByPeer.get() == 1);
            assertThat(run(server, REUSE).success()).isTrue();
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }
}
