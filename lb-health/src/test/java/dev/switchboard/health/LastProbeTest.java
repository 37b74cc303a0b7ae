package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.api.HealthCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LastProbeTest {

    private static final Instant NOW = Instant.parse("2026-11-21T05:00:00Z");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final RecordingSink sink = new RecordingSink();
    private final HealthChecker checker = HealthChecker.builder(sink).seed(5)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    @AfterEach
    void close() {
        checker.close();
    }

    @Test
    void httpProbe_lastResultHasTimeLatencyStatusAndReason() {
        server.enqueue(new MockResponse.Builder().code(503).body("maintenance").build());
        long before = System.nanoTime();
        checker.add(HealthTarget.of("mail", "owa", "ex01", Address.of("127.0.0.1", server.getPort()),
                HealthCheck.http().path("/owa/healthcheck.htm").interval(Duration.ofMillis(20)).build()));
        Eventually.until("a probe", () -> checker.findLastProbe("mail", "owa", "ex01").isPresent());
        long span = System.nanoTime() - before;
        ProbeResult p = checker.findLastProbe("mail", "owa", "ex01").orElseThrow();
        assertThat(p.time()).isEqualTo(NOW);
        assertThat(p.status()).isEqualTo(503);
        assertThat(p.success()).isFalse();
        assertThat(p.reason()).startsWith("status 503");
        // measured in the right unit and from the probe's own start: within the span this test watched it
        assertThat(p.latency()).isPositive().isLessThanOrEqualTo(Duration.ofNanos(span));
    }

    @Test
    void tcpProbeToAClosedPort_hasStatusZeroAndTheReason() throws Exception {
        checker.add(HealthTarget.of("smtp", "relay", "mx01", Address.of("127.0.0.1", TestServers.closedPort()),
                HealthCheck.tcp().interval(Duration.ofMillis(20)).build()));
        Eventually.until("a probe", () -> checker.findLastProbe("smtp", "relay", "mx01").isPresent());
        ProbeResult p = checker.findLastProbe("smtp", "relay", "mx01").orElseThrow();
        assertThat(p.status()).isZero();
        assertThat(p.success()).isFalse();
        assertThat(p.reason()).contains("refused");
    }

    @Test
    void beforeTheFirstProbe_andForUnknownTargets_isEmpty() {
        checker.add(HealthTarget.of("mail", "owa", "ex01", Address.of("127.0.0.1", server.getPort()),
                HealthCheck.http().interval(Duration.ofHours(1)).build()));
        Eventually.until("added", () -> checker.findHealth("mail", "owa", "ex01").isPresent());
        assertThat(checker.findLastProbe("mail", "owa", "ex01")).isEmpty();
        assertThat(checker.findLastProbe("mail", "owa", "nope")).isEmpty();
    }
}
