package dev.switchboard.micrometer;

import java.time.Duration;
import java.util.List;

/**
 * How {@link SwitchboardMetrics} keeps and publishes the latencies: its builder's settings. Immutable.
 *
 * @param serviceLevelObjectives the bucket bounds
 * @param percentiles percentiles Micrometer computes (Micrometer timers only)
 * @param percentileHistogram Micrometer's own fine bucket set (Micrometer timers only)
 * @param enabled whether latencies are recorded at all
 * @param micrometerTimers record into Micrometer timers even when a {@link LatencyPublisher} could publish
 */
record Histograms(List<Duration> serviceLevelObjectives, List<Double> percentiles, boolean percentileHistogram,
        boolean enabled, boolean micrometerTimers) {

    /** Whether a {@link LatencyPublisher} can publish these (buckets only: no percentiles computed here). */
    boolean publishable() {
        return !micrometerTimers && percentiles.isEmpty() && !percentileHistogram;
    }

    /** The SLOs as bucket bounds in nanoseconds, ascending, without duplicates. */
    long[] boundsNanos() {
        return serviceLevelObjectives.stream().mapToLong(Duration::toNanos).sorted().distinct().toArray();
    }
}
