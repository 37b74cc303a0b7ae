package dev.switchboard.micrometer.prometheus;

import dev.switchboard.micrometer.LatencySnapshot;
import dev.switchboard.micrometer.ServerLatency;
import dev.switchboard.micrometer.SwitchboardMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;

/**
 * The two latency histogram families of a {@link SwitchboardMetrics} binding, read from its striped histograms at
 * each scrape: one data point per real server, with classic buckets at the binder's bounds (seconds) and
 * {@code +Inf}, the count and the sum. Thread-safe (each collect reads afresh).
 */
final class LatencyCollector implements MultiCollector {

    /** A family's name and help. */
    record Family(String name, String help) {
    }

    private final SwitchboardMetrics metrics;
    private final Family total;
    private final Family firstByte;
    private final String[] labelNames;
    private final double[] upperBounds;

    /**
     * @param labelNames the names of the virtual service, sub-service and real server labels, in that order
     * @param bounds the binder's bucket bounds
     */
    LatencyCollector(SwitchboardMetrics metrics, Family total, Family firstByte, String[] labelNames,
            List<Duration> bounds) {
        this.metrics = metrics;
        this.total = total;
        this.firstByte = firstByte;
        this.labelNames = labelNames.clone();
        this.upperBounds = new double[bounds.size() + 1];
        for (int i = 0; i < bounds.size(); i++) {
            upperBounds[i] = bounds.get(i).toNanos() / 1e9;
        }
        upperBounds[bounds.size()] = Double.POSITIVE_INFINITY;
    }

    @Override
    public MetricSnapshots collect() {
        HistogramSnapshot.Builder totals = HistogramSnapshot.builder().name(total.name()).help(total.help());
        HistogramSnapshot.Builder heads = HistogramSnapshot.builder().name(firstByte.name()).help(firstByte.help());
        for (ServerLatency s : metrics.latencies()) {
            Labels labels = Labels.of(labelNames,
                    new String[] {s.virtualService(), s.subService(), s.realServer()});
            totals.dataPoint(point(s.total(), labels));
            heads.dataPoint(point(s.firstByte(), labels));
        }
        return MetricSnapshots.of(totals.build(), heads.build());
    }

    private HistogramDataPointSnapshot point(LatencySnapshot s, Labels labels) {
        long[] counts = s.cumulativeCounts();
        for (int i = counts.length - 1; i > 0; i--) {
            counts[i] -= counts[i - 1]; // classic buckets are given per bucket, not cumulative
        }
        return HistogramDataPointSnapshot.builder().classicHistogramBuckets(ClassicHistogramBuckets.of(upperBounds,
                counts)).sum(s.sumSeconds()).labels(labels).build();
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(total.name(), firstByte.name());
    }
}
