/**
 * Prometheus histograms for the Switchboard Micrometer binding: a {@code dev.switchboard.micrometer.LatencyPublisher}
 * for {@code PrometheusMeterRegistry}, found by {@code SwitchboardMetrics} through {@link java.util.ServiceLoader}.
 */
@SuppressWarnings("requires-automatic")   // micrometer-registry-prometheus and prometheus-metrics-model are automatic
module dev.switchboard.micrometer.prometheus {
    requires transitive dev.switchboard.micrometer;
    requires micrometer.registry.prometheus;
    requires io.prometheus.metrics.model;

    exports dev.switchboard.micrometer.prometheus;

    provides dev.switchboard.micrometer.LatencyPublisher
            with dev.switchboard.micrometer.prometheus.PrometheusLatencyPublisher;
}
