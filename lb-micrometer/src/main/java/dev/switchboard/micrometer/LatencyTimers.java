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
 * The two latencies of one real server in one sub-service (time to first byte, total time), and the engine's
 * recorder that feeds them on each release: each into a {@link StripedHistogram} (read by
 * {@link SwitchboardMetrics#latency}) and into a Micrometer timer (published by the registry). Recording is
 * lock-free and without allocation in steady state. Thread-safe.
 */
final class LatencyTimers implements ExchangeRecorder {

    final String virtualService;
    final String subService;
    private final StripedHistogram firstByteHistogram;
    private final StripedHistogram durationHistogram;
    private final Timer firstByte;
    private final Timer duration;

    private LatencyTimers(String virtualService, String subService, long[] boundsNanos, Timer firstByte,
            Timer duration) {
        this.virtualService = virtualService;
        this.subService = subService;
        this.firstByteHistogram = new StripedHistogram(boundsNanos, StripedHistogram.DEFAULT_STRIPES);
        this.durationHistogram = new StripedHistogram(boundsNanos, StripedHistogram.DEFAULT_STRIPES);
        this.firstByte = firstByte;
        this.duration = duration;
    }

    static LatencyTimers register(MeterRegistry registry, SwitchboardMetrics.Histograms h, String virtualService,
            String subService, String server) {
        return new LatencyTimers(virtualService, subService, h.boundsNanos(),
                timer(MeterNames.FIRST_BYTE, "From the request's start to the first byte of the real server's response",
                        registry, h, virtualService, subService, server),
                timer(MeterNames.DURATION, "From the request's start to the release of its lease",
                        registry, h, virtualService, subService, server));
    }

    private static Timer timer(String name, String description, MeterRegistry registry, SwitchboardMetrics.Histograms h,
            String virtualService, String subService, String server) {
        Timer.Builder b = Timer.builder(name).description(description)
                .tags(ServerMeters.tags(virtualService, subService, server))
                .publishPercentileHistogram(h.percentileHistogram())
                .serviceLevelObjectives(h.serviceLevelObjectives().toArray(new Duration[0]));
        if (!h.percentiles().isEmpty()) {
            b.publishPercentiles(h.percentiles().stream().mapToDouble(Double::doubleValue).toArray());
        }
        return b.register(registry);
    }

    @Override
    public void record(Outcome outcome) {
        long total = Math.max(0, outcome.durationNanos());
        durationHistogram.record(total);
        duration.record(total, TimeUnit.NANOSECONDS);
        if (outcome.firstByteNanos() > 0) {
            firstByteHistogram.record(outcome.firstByteNanos());
            firstByte.record(outcome.firstByteNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Total time: the histogram so far. */
    LatencySnapshot duration() {
        return durationHistogram.snapshot();
    }

    /** Time to first byte: the histogram so far. */
    LatencySnapshot firstByte() {
        return firstByteHistogram.snapshot();
    }

    List<Meter> meters() {
        return List.of(firstByte, duration);
    }
}
