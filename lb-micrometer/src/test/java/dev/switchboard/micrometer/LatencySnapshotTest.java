package dev.switchboard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Percentiles by interpolation, differences and merges of {@link LatencySnapshot}s, and their errors. */
class LatencySnapshotTest {

    private static final long MS = 1_000_000L;
    private static final List<Duration> BOUNDS = List.of(Duration.ofMillis(10), Duration.ofMillis(20),
            Duration.ofMillis(100));

    private static LatencySnapshot of(long... millis) {
        StripedHistogram h = new StripedHistogram(LatencySnapshot.boundsNanos(BOUNDS), 1);
        for (long m : millis) {
            h.record(m * MS);
        }
        return h.snapshot();
    }

    @Test
    void snapshot_knownDurations_cumulativeCountsCountAndSum() {
        LatencySnapshot s = of(1, 10, 11, 20, 50, 100, 101, 5000);
        assertThat(s.cumulativeCounts()).containsExactly(2, 4, 6, 8); // <=10 ms, <=20, <=100, +Inf
        assertThat(s.count()).isEqualTo(8);
        assertThat(s.sumNanos()).isEqualTo(5293 * MS);
        assertThat(s.sumSeconds()).isCloseTo(5.293, within(1e-12));
        assertThat(s.meanSeconds()).isCloseTo(5.293 / 8, within(1e-12));
        assertThat(s.bounds()).isEqualTo(BOUNDS);
    }

    @Test
    void percentile_interpolatesWithinTheBucketOfTheRank() {
        // 10 observations: 4 in (0, 10 ms], 4 in (10, 20], 2 in (20, 100]
        LatencySnapshot s = of(1, 2, 3, 4, 11, 12, 13, 14, 30, 40);
        assertThat(s.percentile(0.5)).isCloseTo(0.0125, within(1e-12)); // rank 5: 1/4 into (10, 20]
        assertThat(s.percentile(0.2)).isCloseTo(0.005, within(1e-12)); // rank 2: half of (0, 10]
        assertThat(s.percentile(0.9)).isCloseTo(0.060, within(1e-12)); // rank 9: half of (20, 100]
        assertThat(s.percentile(1.0)).isCloseTo(0.100, within(1e-12));
        assertThat(s.percentile(0.0)).isEqualTo(0.0);
    }

    @Test
    void percentile_rankInTheInfBucket_isTheHighestBound_andEmptyIsNaN() {
        assertThat(of(5, 500, 600, 700).percentile(0.99)).isEqualTo(0.1);
        assertThat(of().percentile(0.5)).isNaN();
        assertThat(of().meanSeconds()).isNaN();
        StripedHistogram noBounds = new StripedHistogram(new long[0], 1);
        noBounds.record(3 * MS);
        assertThat(noBounds.snapshot().count()).isEqualTo(1);
        assertThat(noBounds.snapshot().percentile(0.5)).isNaN();
    }

    @Test
    void minus_olderSnapshot_isWhatCameInBetween() {
        StripedHistogram h = new StripedHistogram(LatencySnapshot.boundsNanos(BOUNDS), 2);
        h.record(5 * MS);
        h.record(500 * MS);
        LatencySnapshot older = h.snapshot();
        h.record(15 * MS);
        h.record(15 * MS);
        h.record(90 * MS);
        LatencySnapshot interval = h.snapshot().minus(older);
        assertThat(interval.cumulativeCounts()).containsExactly(0, 2, 3, 3);
        assertThat(interval.sumNanos()).isEqualTo(120 * MS);
        assertThat(interval.percentile(0.5)).isCloseTo(0.01 + 0.01 * 0.75, within(1e-12)); // rank 1.5 of 2 in (10, 20]
    }

    @Test
    void minus_aResetInBetween_answersTheNewerWhole() {
        LatencySnapshot before = of(1, 2, 3);
        LatencySnapshot afterReset = of(50);
        assertThat(afterReset.minus(before)).isEqualTo(afterReset);
    }

    @Test
    void plus_mergesBucketByBucket() {
        LatencySnapshot merged = of(1, 15).plus(of(15, 200));
        assertThat(merged.cumulativeCounts()).containsExactly(1, 3, 3, 4);
        assertThat(merged.sumNanos()).isEqualTo(231 * MS);
        assertThat(LatencySnapshot.empty(BOUNDS).plus(merged)).isEqualTo(merged);
    }

    @Test
    void errors_nameTheArgument() {
        LatencySnapshot s = of(1);
        assertThatThrownBy(() -> s.percentile(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("q: 1.5 (expected: 0..1)");
        assertThatThrownBy(() -> s.percentile(Double.NaN)).hasMessage("q: NaN (expected: 0..1)");
        LatencySnapshot other = LatencySnapshot.empty(List.of(Duration.ofMillis(10)));
        assertThatThrownBy(() -> s.minus(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bounds: [PT0.01S] (expected: [PT0.01S, PT0.02S, PT0.1S])");
        assertThatThrownBy(() -> s.plus(other)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencySnapshot.empty(List.of(Duration.ofMillis(10), Duration.ofMillis(10))))
                .hasMessage("bounds[1]: PT0.01S (expected: positive, above the bound before it)");
        assertThat(s.cumulativeCounts()).isNotSameAs(s.cumulativeCounts());
    }
}
