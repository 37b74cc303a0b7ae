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
 * The two latency timers of one real server in one sub-service (time to first byte, total time), and the engine's
 * recorder that feeds them on each release. Recording is Micrometer's own: lock-free and without allocation in
 * steady state. Thread-safe.
 */
final class LatencyTimers implements ExchangeRecorder {

    private final Timer firstByte;
    private final Timer duration;

    private LatencyTimers(Timer firstByte, Timer duration) {
        this.firstByte = firstByte;
        this.duration = duration;
    }

    static LatencyTimers register(MeterRegistry registry, SwitchboardMetrics.Histograms h, String virtualService,
            String subService, String server) {
        return new LatencyTimers(
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
        duration.record(Math.max(0, outcome.durationNanos()), TimeUnit.NANOSECONDS);
        if (outcome.firstByteNanos() > 0) {
            firstByte.record(outcome.firstByteNanos(), TimeUnit.NANOSECONDS);
        }
    }

    List<Meter> meters() {
        return List.of(firstByte, duration);
    }
}
