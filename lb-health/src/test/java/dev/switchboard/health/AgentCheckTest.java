package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.api.HealthCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentCheckTest {

    /** A plain ServerSocket agent: writes the current answer to each connection, then closes it. */
    static final class Agent implements AutoCloseable {
        final AtomicReference<byte[]> answer = new AtomicReference<>(new byte[0]);
        final AtomicInteger served = new AtomicInteger();
        private final ServerSocket socket;

        Agent(String answer) throws IOException {
            answer(answer);
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::loop, "test-agent");
            t.setDaemon(true);
            t.start();
        }

        void answer(String text) {
            answer.set(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        int port() {
            return socket.getLocalPort();
        }

        private void loop() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.getOutputStream().write(answer.get());
                    s.getOutputStream().flush();
                    served.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static final class Reports implements HealthListener {
        final List<AgentReport> reports = new CopyOnWriteArrayList<>();
        final List<HealthTarget> targets = new CopyOnWriteArrayList<>();

        @Override
        public void onAgentReport(HealthTarget target, AgentReport report) {
            targets.add(target);
            reports.add(report);
        }

        AgentReport last() {
            return reports.get(reports.size() - 1);
        }
    }

    private final RecordingSink sink = new RecordingSink();
    private final Reports reports = new Reports();
    private final HealthChecker checker = HealthChecker.builder(sink).listener(reports).seed(5).build();

    @AfterEach
    void tearDown() {
        checker.close();
    }

    private static HealthCheck agentCheck(int port) {
        return HealthCheck.agent().port(port).interval(Duration.ofMillis(20)).rise(1).fall(1).build();
    }

    private void add(String server, int port) {
        checker.add(HealthTarget.of("mail", "owa", server, Address.of("127.0.0.1", 443), agentCheck(port)));
    }

    @Test
    void agent_eachForm_isReportedWithItsWishesAndHealth() throws Exception {
        try (Agent agent = new Agent("75%\n")) {
            add("ex01", agent.port());
            Eventually.until("75%", () -> !reports.reports.isEmpty());
            assertThat(reports.last()).isEqualTo(new AgentReport(OptionalInt.of(75), false, false,
                    Optional.empty(), "75%", true));
            Eventually.until("UP", () -> sink.lastIs("owa", "ex01", Health.UP, "agent: 75%"));

            agent.answer("drain\r\n");
            Eventually.until("drain", () -> reports.last().drain());
            agent.answer("maint\n");
            Eventually.until("maint", () -> reports.last().maintenance());
            assertThat(reports.last().drain()).isFalse();

            agent.answer("down # disk full\n");
            Eventually.until("DOWN", () -> sink.lastIs("owa", "ex01", Health.DOWN, "agent: down # disk full"));
            assertThat(reports.last().health()).contains(Health.DOWN);

            agent.answer("up 50%\n");
            Eventually.until("UP 50%", () -> sink.lastIs("owa", "ex01", Health.UP, "agent: up 50%"));
            assertThat(reports.last().weightPercent()).hasValue(50);
            assertThat(reports.last().health()).contains(Health.UP);
            assertThat(reports.targets).allMatch(t -> t.server().equals("ex01"));
        }
    }

    @Test
    void agent_sameAnswer_isReportedOncePerTarget() throws Exception {
        try (Agent agent = new Agent("up\n")) {
            add("ex01", agent.port());
            Eventually.until("several probes", () -> agent.served.get() >= 5);
            assertThat(reports.reports).hasSize(1);
            add("ex01-again", agent.port()); // shares the probe: gets the last answer at once
            Eventually.until("second target", () -> reports.reports.size() == 2);
            assertThat(reports.targets.get(1).server()).isEqualTo("ex01-again");
        }
    }

    @Test
    void agent_garbage_isDownWithAnUnreadableReportNeverAnException() throws Exception {
        try (Agent agent = new Agent("\u0000\u0007 75% banana\n")) {
            add("ex01", agent.port());
            Eventually.until("report", () -> !reports.reports.isEmpty());
            AgentReport r = reports.last();
            assertThat(r.readable()).isFalse();
            assertThat(r.hasWishes()).isFalse();
            assertThat(r.health()).isEmpty();
            Eventually.until("DOWN with reason", () -> sink.lastIs("owa", "ex01", Health.DOWN,
                    "agent: unreadable answer (got \"\\x00\\x07 75% banana\")"));

            agent.answer("");  // closes without a word
            Eventually.until("empty answer", () -> reports.last().text().isEmpty());
            assertThat(reports.last().readable()).isFalse();
            agent.answer("up\n");
            Eventually.until("scheduler still alive", () -> sink.lastIs("owa", "ex01", Health.UP, "agent: up"));
        }
    }

    @Test
    void agent_refusedOrHanging_isDownWithoutAReport() throws Exception {
        int closed = TestServers.closedPort();
        add("ex01", closed);
        try (TestServers.Misbehaving hang = new TestServers.Misbehaving(TestServers.Misbehaving.Mode.ACCEPT_ONLY)) {
            checker.add(HealthTarget.of("mail", "owa", "ex02", Address.of("127.0.0.1", 443),
                    HealthCheck.agent().port(hang.port()).interval(Duration.ofMillis(50))
                            .timeout(Duration.ofMillis(100)).fall(1).initialState(Health.UP).build()));
            Eventually.until("refused", () -> sink.lastIs("owa", "ex01", Health.DOWN, "connection refused"));
            Eventually.until("timeout", () -> sink.lastIs("owa", "ex02", Health.DOWN, "timeout"));
        }
        assertThat(reports.reports).isEmpty();
    }

    @Test
    void httpAgent_readsTheAnswerFromTheBody() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            for (int i = 0; i < 100; i++) {
                server.enqueue(new MockResponse.Builder().body("drain 20%\n").build());
            }
            checker.add(HealthTarget.of("mail", "owa", "ex01", Address.of("127.0.0.1", server.getPort()),
                    HealthCheck.httpAgent().path("/agent").interval(Duration.ofMillis(20)).build()));
            Eventually.until("report", () -> !reports.reports.isEmpty());
            assertThat(reports.last().drain()).isTrue();
            assertThat(reports.last().weightPercent()).hasValue(20);
            assertThat(server.takeRequest().getTarget()).isEqualTo("/agent");
        }
    }

    @Test
    void parse_forms() {
        assertThat(AgentReport.parse("UP, 100%").weightPercent()).hasValue(100);
        assertThat(AgentReport.parse("ready\tmaint").maintenance()).isTrue();
        assertThat(AgentReport.parse("101%").readable()).isFalse();
        assertThat(AgentReport.parse("up down").readable()).isFalse();
        assertThat(AgentReport.parse("   ").reason()).isEqualTo("agent: unreadable answer (got \"   \")");
        assertThat(AgentReport.parse("x".repeat(500)).reason()).hasSizeLessThan(120);
    }
}
