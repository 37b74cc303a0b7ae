package dev.switchboard.micrometer;

import dev.switchboard.api.Outcome;
import dev.switchboard.api.spi.ExchangeRecorder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * For a registry without a {@link LatencyPublisher} (or with percentiles asked for): the two latencies of one real
 * server recorded into Micrometer timers as well as into its {@link LatencyHistograms} (which
 * {@link SwitchboardMetrics#latency} reads). Each release then costs the timers' own work too (four clock reads,
 * three atomic adds per timer, see docs/benchmarks.md). Thread-safe.
 */
final class LatencyTimers implements ExchangeRecorder {

    private final LatencyHistograms histograms;
    private final Timer firstByte;
    private final Timer duration;

    private LatencyTimers(LatencyHistograms histograms, Timer firstByte, Timer duration) {
        this.histograms = histograms;
        this.firstByte = firstByte;
        this.duration = duration;
    }

    static LatencyTimers register(MeterRegistry registry, Histograms h,
            LatencyHistograms histograms) {
        return new LatencyTimers(histograms,
                timer(MeterNames.FIRST_BYTE, MeterNames.FIRST_BYTE_DESCRIPTION, registry, h, histograms),
                timer(MeterNames.DURATION, MeterNames.DURATION_DESCRIPTION, registry, h, histograms));
    }

    private static Timer timer(String name, String description, MeterRegistry registry, Histograms h,
            LatencyHistograms of) {
        Timer.Builder b = Timer.builder(name).description(description)
                .tags(ServerMeters.tags(of.virtualService, of.subService, of.realServer))
                .publishPercentileHistogram(h.percentileHistogram())
                .serviceLevelObjectives(h.serviceLevelObjectives().toArray(new Duration[0]));
        if (!h.percentiles().isEmpty()) {
            b.publishPercentiles(h.percentiles().stream().mapToDouble(Double::doubleValue).toArray());
        }
        return b.register(registry);
    }

    @Override
    public void record(Outcome outcome) {
        histograms.record(outcome);
        duration.record(Math.max(0, outcome.durationNanos()), TimeUnit.NANOSECONDS);
        if (outcome.firstByteNanos() > 0) {
            firstByte.record(outcome.firstByteNanos(), TimeUnit.NANOSECONDS);
        }
    }

    LatencyHistograms histograms() {
        return histograms;
    }

    List<Meter> meters() {
        return List.of(firstByte, duration);
    }
}
