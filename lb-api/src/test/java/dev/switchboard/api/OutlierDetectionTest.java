package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutlierDetectionTest {

    @Test
    void build_badValues_listsEveryFieldWithItsValue() {
        ConfigurationException e = catchThrowableOfType(() -> OutlierDetection.builder().consecutiveFailures(0)
                .failureRate(101, 10, 11).baseEjectionTime(Duration.ZERO).maxEjectionPercent(0).halfOpenCalls(0)
                .failures(Outcome.Failure.CANCELLED).failureStatuses(600, 500).build(), ConfigurationException.class);
        assertThat(e.violations()).extracting(Violation::toString).containsExactly(
                "outlierDetection.consecutiveFailures: 0 (expected: >= 1)",
                "outlierDetection.failureRatePercent: 101 (expected: 0..100, 0 for off)",
                "outlierDetection.minimumCalls: 11 (expected: 1..windowCalls (10))",
                "outlierDetection.baseEjectionTime: PT0S (expected: 1ms..1h)",
                "outlierDetection.maxEjectionPercent: 0 (expected: 1..100)",
                "outlierDetection.halfOpenCalls: 0 (expected: 1..10000)",
                "outlierDetection.failures: [CANCELLED] (expected: some of CONNECT, TIMEOUT, RESET, PROTOCOL)",
                "outlierDetection.failureStatuses[0]: 600..500 (expected: codes in 100..599, from <= to)");
    }

    @Test
    void defaults_count5xxAndConnectionFailures_ignoreCancelled() {
        OutlierDetection d = OutlierDetection.ofDefaults();
        assertThat(d.isFailure(Outcome.ofStatus(503, 1))).isTrue();
        assertThat(d.isFailure(Outcome.ofStatus(404, 1))).isFalse();
        assertThat(d.isFailure(Outcome.ofFailure(Outcome.Failure.RESET, 1))).isTrue();
        assertThat(d.isIgnored(Outcome.ofFailure(Outcome.Failure.CANCELLED, 1))).isTrue();
        assertThat(d.isIgnored(Outcome.ofStatus(200, 1))).isFalse();
    }

    @Test
    void failureStatuses_replaceTheDefault() {
        OutlierDetection d = OutlierDetection.builder().failureStatuses(502, 504).failureStatuses(429, 429)
                .failures(Outcome.Failure.CONNECT).build();
        assertThat(d.isFailure(Outcome.ofStatus(500, 1))).isFalse();
        assertThat(d.isFailure(Outcome.ofStatus(503, 1))).isTrue();
        assertThat(d.isFailure(Outcome.ofStatus(429, 1))).isTrue();
        assertThat(d.isIgnored(Outcome.ofFailure(Outcome.Failure.TIMEOUT, 1))).isTrue();
        assertThat(d).isEqualTo(OutlierDetection.builder().failureStatuses(502, 504).failureStatuses(429, 429)
                .failures(Outcome.Failure.CONNECT).build());
    }

    @Test
    void ejectionTime_doublesUpToTheMaximum() {
        OutlierDetection d = OutlierDetection.builder().baseEjectionTime(Duration.ofSeconds(30))
                .maxEjectionTime(Duration.ofSeconds(100)).build();
        assertThat(d.ejectionTime(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.ejectionTime(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.ejectionTime(3)).isEqualTo(Duration.ofSeconds(100));
        assertThat(d.ejectionTime(1000)).isEqualTo(Duration.ofSeconds(100));
    }
}
