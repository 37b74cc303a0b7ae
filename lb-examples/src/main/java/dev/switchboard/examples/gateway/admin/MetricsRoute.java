package dev.switchboard.examples.gateway.admin;

import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.micrometer.CoarseClock;
import dev.switchboard.micrometer.SwitchboardMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} on the admin listener: the engine's meters ({@link SwitchboardMetrics}), the JVM's (memory,
 * GC, threads, class loading, processor, uptime) and Netty's (the gateway's event loops, the pooled allocator) in a
 * {@link PrometheusMeterRegistry} of its own, scraped in the Prometheus text format, or in OpenMetrics text when the
 * {@code Accept} header names {@code application/openmetrics-text}. The admin server's access rules apply before
 * it (a bearer token off loopback). Thread-safe; {@link #close} unbinds everything.
 */
final class MetricsRoute implements AutoCloseable {

    static final String PATH = "/metrics";
    static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** A coarse clock: each release records two timers, and each record reads the registry's clock twice. */
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
            new PrometheusRegistry(), CoarseClock.shared());
    private static final Logger LOG = LoggerFactory.getLogger(MetricsRoute.class);

    private final SwitchboardMetrics engineMetrics;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final boolean bound;

    /**
     * Binds the engine's, the JVM's and Netty's meters ({@code loops}: the gateway's event loop groups by name, each
     * tagged {@code group=<name>} so that the groups' meters stay apart).
     */
    MetricsRoute(DispatchEngine engine, Map<String, EventLoopGroup> loops) {
        engineMetrics = SwitchboardMetrics.of(engine);
        boolean ok = true;
        try {
            engineMetrics.bindTo(registry);
        } catch (IllegalStateException e) { // the host bound the engine to a registry of its own already
            LOG.warn("admin /metrics: the engine's meters are bound elsewhere ({}); JVM and Netty meters only",
                    e.getMessage());
            ok = false;
        }
        bound = ok;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        if (ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT
                && ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
        loops.forEach((name, group) -> new NettyEventExecutorMetrics(group, Tags.of("group", name)).bindTo(registry));
    }

    /**
     * The latency percentiles of the last minute from the engine's latency histograms; none when the engine's
     * meters are bound elsewhere (then this route's binder has none).
     */
    LatencySource latencies() {
        return bound ? new RecentLatencies(key -> key.server().isEmpty()
                ? engineMetrics.latency(key.virtualService(), key.subService())
                : engineMetrics.latency(key.virtualService(), key.subService(), key.server())) : LatencySource.NONE;
    }

    /** Whether {@code path} (without query) is this route's. */
    static boolean matches(String path) {
        return path.equals(PATH);
    }

    /** The scrape for {@code GET}; 405 for any other method. */
    AdminResponse answer(String method, String accept) {
        if (!method.equals("GET")) {
            return AdminResponse.methodNotAllowed(method, "GET");
        }
        boolean openMetrics = accept != null
                && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
        String type = openMetrics ? OPENMETRICS_TYPE : PROMETHEUS_TYPE;
        return new AdminResponse(200, type, registry.scrape(type).getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @Override
    public void close() {
        engineMetrics.close();
        gc.close();
        registry.close();
    }
}
