package dev.switchboard.micrometer;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes {@link SwitchboardMetrics}' latency histograms in a registry's own format, read at each scrape from the
 * binder's striped histograms ({@link SwitchboardMetrics#latencies()}), so that the request path records into
 * those histograms only. Micrometer has no meter for a histogram recorded elsewhere, so a publisher is specific to
 * a registry: {@code lb-micrometer-prometheus} has one for {@code PrometheusMeterRegistry}. Found with
 * {@link java.util.ServiceLoader}; when none supports the registry (or the binder asks for percentiles, a percentile
 * histogram or {@link SwitchboardMetrics.Builder#micrometerTimers}), the binder records into Micrometer timers
 * instead.
 *
 * <p>Each server's two histograms are published as {@link MeterNames#DURATION} and {@link MeterNames#FIRST_BYTE}
 * in seconds, tagged {@link MeterNames#VIRTUAL_SERVICE}, {@link MeterNames#SUB_SERVICE} and
 * {@link MeterNames#REAL_SERVER}, with buckets at {@link LatencySnapshot#bounds()} and {@code +Inf}.
 *
 * <pre>{@code
 * // module-info.java of a publisher:
 * provides dev.switchboard.micrometer.LatencyPublisher with com.example.MyRegistryLatencyPublisher;
 * }</pre>
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface LatencyPublisher {

    /** Whether this publisher can publish into {@code registry}. */
    boolean supports(MeterRegistry registry);

    /**
     * Starts publishing {@code metrics}' latency histograms into {@code registry} (one that {@link #supports}).
     *
     * @return what stops it: {@link SwitchboardMetrics#close()} closes it
     * @throws IllegalStateException when the registry refuses (for example, a meter of the same name exists)
     */
    AutoCloseable publish(MeterRegistry registry, SwitchboardMetrics metrics);
}
