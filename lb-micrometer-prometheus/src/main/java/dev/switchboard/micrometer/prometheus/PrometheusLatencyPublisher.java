package dev.switchboard.micrometer.prometheus;

import dev.switchboard.micrometer.LatencyPublisher;
import dev.switchboard.micrometer.MeterNames;
import dev.switchboard.micrometer.SwitchboardMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;

/**
 * Publishes {@link SwitchboardMetrics}' latency histograms in a {@link PrometheusMeterRegistry}'s scrape as
 * Prometheus histograms ({@code switchboard_request_duration_seconds} and
 * {@code switchboard_time_to_first_byte_seconds}: {@code _bucket{le=...}} at the binder's SLO bounds in seconds and
 * {@code +Inf}, {@code _count}, {@code _sum}; labels {@code virtual_service}, {@code sub_service},
 * {@code real_server}), read from the binder's striped histograms at each scrape: a collector registered in the
 * registry's {@link PrometheusRegistry}. Micrometer has no meter for a histogram recorded elsewhere, hence this
 * registry-specific publisher; with it on the class or module path, {@link SwitchboardMetrics#bindTo} finds it
 * through {@link java.util.ServiceLoader} and the request path records into the striped histograms only (no
 * Micrometer timer, no clock read). Unlike a Micrometer timer's there is no {@code _max} series, and the registry's
 * common tags and meter filters do not apply to these two families.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * SwitchboardMetrics.of(engine).bindTo(registry); // this publisher is used when on the path
 * }</pre>
 *
 * <p>Thread-safe, stateless: one instance serves any number of bindings.
 */
public final class PrometheusLatencyPublisher implements LatencyPublisher {

    /** For {@link java.util.ServiceLoader}. */
    public PrometheusLatencyPublisher() {
    }

    @Override
    public boolean supports(MeterRegistry registry) {
        return registry instanceof PrometheusMeterRegistry;
    }

    /**
     * @throws IllegalArgumentException when {@code registry} is not a {@link PrometheusMeterRegistry}
     * @throws IllegalStateException when the registry has metrics of these names already
     */
    @Override
    public AutoCloseable publish(MeterRegistry registry, SwitchboardMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
            throw new IllegalArgumentException("registry: " + registry + " (expected: a PrometheusMeterRegistry)");
        }
        for (String name : new String[] {MeterNames.DURATION, MeterNames.FIRST_BYTE}) {
            if (!registry.find(name).meters().isEmpty()) {
                throw new IllegalStateException("latency histograms not published: the registry has meters named "
                        + name + " already");
            }
        }
        NamingConvention naming = registry.config().namingConvention();
        LatencyCollector collector = new LatencyCollector(metrics,
                family(naming, MeterNames.DURATION, MeterNames.DURATION_DESCRIPTION),
                family(naming, MeterNames.FIRST_BYTE, MeterNames.FIRST_BYTE_DESCRIPTION),
                new String[] {naming.tagKey(MeterNames.VIRTUAL_SERVICE), naming.tagKey(MeterNames.SUB_SERVICE),
                    naming.tagKey(MeterNames.REAL_SERVER)},
                metrics.latencyBounds());
        PrometheusRegistry target = prometheus.getPrometheusRegistry();
        try {
            target.register(collector);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("latency histograms not published: " + e.getMessage(), e);
        }
        return () -> target.unregister(collector);
    }

    private static LatencyCollector.Family family(NamingConvention naming, String name, String help) {
        return new LatencyCollector.Family(naming.name(name, Meter.Type.TIMER, "seconds"), help);
    }
}
