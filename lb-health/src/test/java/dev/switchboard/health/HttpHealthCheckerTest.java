package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.api.HealthCheck;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpHealthCheckerTest {

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final RecordingSink sink = new RecordingSink();
    private final RecordingListener listener = new RecordingListener();
    private HealthChecker checker;

    @BeforeEach
    void setUp() {
        checker = HealthChecker.builder(sink).listener(listener).seed(42).build();
    }

    @AfterEach
    void tearDown() {
        checker.close();
    }

    private HealthCheck.Builder fast() {
        return HealthCheck.http().interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(500));
    }

    private Address address() {
        return Address.of("127.0.0.1", server.getPort());
    }

    private void respond(int code, String body) {
        server.setDispatcher(dispatcher(new AtomicInteger(), () -> new MockResponse.Builder().code(code).body(body).build()));
    }

    private static Dispatcher dispatcher(AtomicInteger count, java.util.function.Supplier<MockResponse> response) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                count.incrementAndGet();
                return response.get();
            }
        };
    }

    @Test
    void riseAndFall_countConsecutiveResponsesOverTheWire() {
        AtomicReference<Integer> code = new AtomicReference<>(200);
        AtomicInteger served = new AtomicInteger();
        server.setDispatcher(dispatcher(served, () -> new MockResponse.Builder().code(code.get()).build()));
        checker.add(HealthTarget.of("vs", "web", "s1", address(), fast().rise(3).fall(2).build()));
        Eventually.until("first UP", () -> listener.transitions.size() == 1);
        assertThat(listener.transitions.get(0).to()).isEqualTo(Health.UP);

        code.set(503);
        int before = served.get();
        Eventually.until("DOWN after fall", () -> listener.transitions.size() == 2);
        HealthTransition down = listener.transitions.get(1);
        assertThat(down.to()).isEqualTo(Health.DOWN);
        assertThat(down.reason()).isEqualTo("status 503 (expected: [200..399])");
        int failuresServed = served.get() - before;
        assertThat(failuresServed).isBetween(2, 3); // 2 judged; a 200 may have been in flight at the switch

        code.set(200);
        Eventually.until("UP after rise", () -> listener.transitions.size() == 3);
        assertThat(listener.transitions.get(2).to()).isEqualTo(Health.UP);
        assertThat(sink.lastIs("web", "s1", Health.UP, "status 200")).isTrue();
    }

    @Test
    void expectedStatusSet_otherStatusIsDownWithTheStatusAsReason() {
        respond(200, "ok");
        checker.add(HealthTarget.of("vs", "web", "s1", address(), fast().expectStatus(204).build()));
        Eventually.until("first verdict", () -> sink.lastIs("web", "s1", Health.DOWN, "status 200 (expected: [204])"));
        assertThat(checker.findHealth("vs", "web", "s1")).contains(Health.DOWN);
    }

    @Test
    void expectedStatusRange_codeInRangeIsUp() {
        respond(503, "");
        checker.add(HealthTarget.of("vs", "web", "s1", address(), fast().expectStatusRange(500, 503).build()));
        Eventually.until("UP on 503", () -> sink.lastIs("web", "s1", Health.UP, "status 503"));
    }

    @Test
    void bodyPattern_matchingBodyIsUp_otherBodyIsBodyMismatch() {
        respond(200, "state: maintenance");
        checker.add(HealthTarget.of("vs", "web", "s1", address(), fast().bodyPattern("state:\\s*ok").build()));
        Eventually.until("body mismatch", () -> sink.lastIs("web", "s1", Health.DOWN, "body mismatch"));

        respond(200, "state: ok");
        Eventually.until("UP once the body matches", () -> sink.lastIs("web", "s1", Health.UP, "status 200"));
    }

    @Test
    void authenticatedPost_sendsBasicAuthHostHeaderAndBody() throws Exception {
        respond(200, "");
        HealthCheck check = fast().method(HealthCheck.Method.POST).path("/login?probe=1").hostHeader("mail.example.com")
                .header("X-Probe", "switchboard").basicAuth("probe", "s3cret")
                .requestBody("{\"user\":\"probe\"}", "application/json").build();
        checker.add(HealthTarget.of("vs", "owa", "ex01", address(), check));

        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getTarget()).isEqualTo("/login?probe=1");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Basic cHJvYmU6czNjcmV0");
        assertThat(r.getHeaders().get("Host")).isEqualTo("mail.example.com");
        assertThat(r.getHeaders().get("X-Probe")).isEqualTo("switchboard");
        assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(r.getBody().utf8()).isEqualTo("{\"user\":\"probe\"}");
    }

    @Test
    void head_sendsHeadToTheServersAddressByDefault() throws Exception {
        respond(200, "");
        checker.add(HealthTarget.of("vs", "web", "s1", address(), fast().method(HealthCheck.Method.HEAD).path("/h").build()));
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getMethod()).isEqualTo("HEAD");
        assertThat(r.getHeaders().get("Host")).isEqualTo("127.0.0.1:" + server.getPort());
        assertThat(r.getHeaders().get("Authorization")).isNull();
    }

    @Test
    void oneWorkloadDown_onOneHostOnly() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                int code = request.getTarget().startsWith("/owa/") ? 503 : 200;
                return new MockResponse.Builder().code(code).build();
            }
        });
        HealthCheck owa = fast().path("/owa/healthcheck.htm").build();
        HealthCheck ews = fast().path("/ews/healthcheck.htm").build();
        checker.add(HealthTarget.of("mail", "owa", "ex01", address(), owa));
        checker.add(HealthTarget.of("mail", "ews", "ex01", address(), ews));

        Eventually.until("owa down, ews up", () -> sink.lastIs("owa", "ex01", Health.DOWN, "status 503")
                && sink.lastIs("ews", "ex01", Health.UP, "status 200"));
        assertThat(checker.findHealth("mail", "owa", "ex01")).contains(Health.DOWN);
        assertThat(checker.findHealth("mail", "ews", "ex01")).contains(Health.UP);
    }

    @Test
    void removedTarget_isNoLongerProbed() {
        AtomicInteger served = new AtomicInteger();
        server.setDispatcher(dispatcher(served, () -> new MockResponse.Builder().code(200).build()));
        HealthTarget t = HealthTarget.of("vs", "web", "s1", address(), fast().build());
        checker.add(t);
        Eventually.until("UP", () -> sink.lastIs("web", "s1", Health.UP, "status 200"));
        checker.remove(t);
        Eventually.until("removed", () -> checker.findHealth("vs", "web", "s1").isEmpty());
        int after = served.get();
        checker.add(HealthTarget.of("vs", "other", "s2", address(), fast().path("/other").build()));
        Eventually.until("another target probed a few times", () -> served.get() >= after + 4);
        assertThat(sink.reports.stream().filter(r -> r.subService().equals("web")).count())
                .as("no report for the removed target after removal").isEqualTo(2);
    }

    @Test
    void throwingListener_doesNotStopTheChecker() {
        AtomicInteger served = new AtomicInteger();
        server.setDispatcher(dispatcher(served,
                () -> new MockResponse.Builder().code(served.get() % 2 == 1 ? 200 : 503).build()));
        checker.close();
        AtomicInteger thrown = new AtomicInteger();
        checker = HealthChecker.builder(sink)
                .listener(new HealthListener() {
                    @Override
                    public void onTransition(HealthTransition t) {
                        thrown.incrementAndGet();
                        throw new IllegalStateException("listener bug");
                    }
                })
                .listener(listener)
                .build();
        checker.add(HealthTarget.of("vs", "web", "s1", address(), fast().rise(1).fall(1).build()));
        Eventually.until("several transitions", () -> listener.transitions.size() >= 4);
        assertThat(thrown.get()).isGreaterThanOrEqualTo(4);
    }
}
