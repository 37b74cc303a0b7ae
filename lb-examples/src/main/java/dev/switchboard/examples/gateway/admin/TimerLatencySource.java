package dev.switchboard.examples.gateway.admin;

import dev.switchboard.micrometer.MeterNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Latency percentiles from the engine's request-duration timers ({@link MeterNames#DURATION}) in a Micrometer
 * registry: each timer's cumulative bucket counts (its SLO buckets, 5 ms .. 10 s by default) are merged over the
 * entry's servers and the percentile is interpolated linearly inside the bucket it falls in. The figures cover
 * every request since the server's timer was registered. Thread-safe (reads snapshots only).
 */
final class TimerLatencySource implements LatencySource {

    private final MeterRegistry registry;

    TimerLatencySource(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Optional<LatencySummary> find(SampleKey key) {
        var search = registry.find(MeterNames.DURATION).tag(MeterNames.VIRTUAL_SERVICE, key.virtualService());
        if (!key.subService().isEmpty()) {
            search = search.tag(MeterNames.SUB_SERVICE, key.subService());
        }
        if (!key.server().isEmpty()) {
            search = search.tag(MeterNames.REAL_SERVER, key.server());
        }
        return summarize(search.timers());
    }

    static Optional<LatencySummary> summarize(Collection<Timer> timers) {
        TreeMap<Double, Long> cumulative = new TreeMap<>(); // bound in nanoseconds -> requests at or under it
        long count = 0;
        for (Timer t : timers) {
            HistogramSnapshot s = t.takeSnapshot();
            count += s.count();
            for (CountAtBucket b : s.histogramCounts()) {
                cumulative.merge(b.bucket(TimeUnit.NANOSECONDS), (long) b.count(), Long::sum);
            }
        }
        if (count == 0 || cumulative.isEmpty()) {
            return Optional.empty();
        }
        double[] bounds = cumulative.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        long[] counts = cumulative.values().stream().mapToLong(Long::longValue).toArray();
        boolean above = percentile(bounds, counts, count, 0.99) < 0;
        return Optional.of(new LatencySummary(count, nanos(percentile(bounds, counts, count, 0.5), bounds),
                nanos(percentile(bounds, counts, count, 0.99), bounds), above));
    }

    /**
     * The {@code q} quantile, interpolated inside its bucket (the first one starts at 0); -1 when it is above the
     * last bound.
     */
    static double percentile(double[] bounds, long[] cumulative, long count, double q) {
        double rank = Math.max(1, Math.ceil(q * count));
        long below = 0;
        double lower = 0;
        for (int i = 0; i < bounds.length; i++) {
            if (cumulative[i] >= rank) {
                long inBucket = cumulative[i] - below;
                double fraction = inBucket == 0 ? 1 : (rank - below) / inBucket;
                return lower + (bounds[i] - lower) * fraction;
            }
            below = cumulative[i];
            lower = bounds[i];
        }
        return -1;
    }

    private static Duration nanos(double value, double[] bounds) {
        return Duration.ofNanos(Math.round(value < 0 ? bounds[bounds.length - 1] : value));
    }
}
