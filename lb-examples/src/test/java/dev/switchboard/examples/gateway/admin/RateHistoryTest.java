package dev.switchboard.examples.gateway.admin;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RateHistoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final RateHistory history = new RateHistory(Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofMinutes(15));

    @Test
    void currentRate_fromTheLastTwoReadings_andTheirRealTimes() {
        assertThat(history.currentRate()).isZero();
        history.add(T0, 100, 0);
        assertThat(history.currentRate()).isZero();
        history.add(T0.plusMillis(500), 150, 5); // a sample half a second late counts per real second

        assertThat(history.currentRate()).isCloseTo(100.0, within(1e-9));
        assertThat(history.currentErrorRate()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void maxRateLastMinute_forgetsAPeakOlderThanAMinute() {
        long requests = 0;
        for (int s = 0; s <= 65; s++) {
            requests += s == 10 ? 500 : 7;
            history.add(T0.plusSeconds(s), requests, 0);
        }
        assertThat(history.maxRateLastMinute(T0.plusSeconds(65))).isCloseTo(500.0, within(1e-9));
        for (int s = 66; s <= 71; s++) {
            requests += 7;
            history.add(T0.plusSeconds(s), requests, 0);
        }
        assertThat(history.maxRateLastMinute(T0.plusSeconds(71))).isCloseTo(7.0, within(1e-9));
        for (int s = 72; s <= 600; s++) { // ten minutes more: the minute's ring stays bounded
            requests += 7;
            history.add(T0.plusSeconds(s), requests, 0);
        }
        assertThat(history.maxRateLastMinute(T0.plusSeconds(600))).isCloseTo(7.0, within(1e-9));
        assertThat(history.currentRate()).isCloseTo(7.0, within(1e-9));
    }

    @Test
    void counterGoingBackwards_countsAsNoRequests() {
        history.add(T0, 1000, 50);
        history.add(T0.plusSeconds(1), 3, 0);

        assertThat(history.currentRate()).isZero();
        assertThat(history.currentErrorRate()).isZero();
    }

    @Test
    void readingNotLaterThanTheLast_isIgnored() {
        history.add(T0.plusSeconds(1), 10, 0);
        history.add(T0.plusSeconds(2), 20, 0);
        history.add(T0.plusSeconds(2), 9_999, 0);
        history.add(T0, 99_999, 0);

        assertThat(history.currentRate()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void sparkline_pointPerTenSeconds_boundedToFifteenMinutes_plusTheIntervalInProgress() {
        long requests = 0;
        long errors = 0;
        int seconds = 3_600; // an hour of samples: far more than the rings hold
        for (int s = 0; s <= seconds; s++) {
            requests += 20;
            errors += s % 2;
            history.add(T0.plusSeconds(s), requests, errors);
        }
        history.add(T0.plusSeconds(seconds).plusMillis(4_000), requests + 400, errors);
        Instant now = T0.plusSeconds(seconds).plusMillis(4_000);

        List<RateHistory.Point> points = history.sparkline(now);

        assertThat(points).hasSize(91); // 90 whole intervals of 10 s, and the 4 s in progress
        assertThat(points.get(0).end()).isAfter(now.minus(Duration.ofMinutes(15)));
        assertThat(points.get(0).requests()).isCloseTo(20.0, within(1e-9));
        assertThat(points.get(0).errors()).isCloseTo(0.5, within(1e-9));
        RateHistory.Point last = points.get(90);
        assertThat(last.end()).isEqualTo(now);
        assertThat(last.requests()).isCloseTo(100.0, within(1e-9));
        assertThat(last.errors()).isZero();
    }

    @Test
    void sparkline_emptyBeforeAnyTraffic_andAfterTheWindowPassesWithoutSamples() {
        assertThat(history.sparkline(T0)).isEmpty();
        history.add(T0, 0, 0);
        history.add(T0.plusSeconds(10), 100, 0);
        assertThat(history.sparkline(T0.plusSeconds(10))).hasSize(1);

        assertThat(history.sparkline(T0.plusSeconds(10).plus(Duration.ofMinutes(16)))).isEmpty();
    }
}
