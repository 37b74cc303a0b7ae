package dev.switchboard.micrometer;

import dev.switchboard.api.spi.ExchangeRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latency histograms of every real server a binding has seen, by key ({@code vs\0sub\0server}): the recorders
 * the engine calls, and the reads of {@link SwitchboardMetrics#latency} and {@link SwitchboardMetrics#latencies}.
 * With {@code timed} each recorder also feeds Micrometer timers (registered here, removed with the server).
 * Thread-safe: the engine's control plane adds, the binder's sync removes, any thread reads.
 */
final class ServerLatencies {

    private final Histograms config;
    private final long[] boundsNanos;
    private final LatencySnapshot empty;
    private final Map<String, LatencyHistograms> histograms = new ConcurrentHashMap<>();
    private final Map<String, LatencyTimers> timers = new ConcurrentHashMap<>();

    ServerLatencies(Histograms config) {
        this.config = config;
        this.boundsNanos = config.boundsNanos();
        this.empty = new LatencySnapshot(boundsNanos, new long[boundsNanos.length + 1], 0);
    }

    LatencySnapshot empty() {
        return empty;
    }

    /** A new recorder for a server the engine has just added (or replaced: it counts afresh). */
    ExchangeRecorder recorder(MeterRegistry registry, boolean timed, String key, String virtualService,
            String subService, String server) {
        LatencyHistograms h = new LatencyHistograms(virtualService, subService, server, boundsNanos);
        histograms.put(key, h);
        if (!timed) {
            return h;
        }
        LatencyTimers t = LatencyTimers.register(registry, config, h);
        timers.put(key, t);
        return t;
    }

    /** Forgets a server that is gone; removes its timers from {@code registry}. */
    void remove(MeterRegistry registry, String key) {
        histograms.remove(key);
        LatencyTimers t = timers.remove(key);
        if (t != null) {
            t.meters().forEach(registry::remove);
        }
    }

    /** Forgets every server; removes every timer from {@code registry}. */
    void clear(MeterRegistry registry) {
        timers.values().forEach(t -> t.meters().forEach(registry::remove));
        timers.clear();
        histograms.clear();
    }

    LatencySnapshot total(String key) {
        LatencyHistograms h = histograms.get(key);
        return h == null ? empty : h.total();
    }

    LatencySnapshot firstByte(String key) {
        LatencyHistograms h = histograms.get(key);
        return h == null ? empty : h.firstByte();
    }

    /** The servers of one sub-service merged; {@code total} or time to first byte. */
    LatencySnapshot merged(String virtualService, String subService, boolean total) {
        LatencySnapshot sum = empty;
        for (LatencyHistograms h : histograms.values()) {
            if (h.virtualService.equals(virtualService) && h.subService.equals(subService)) {
                sum = sum.plus(total ? h.total() : h.firstByte());
            }
        }
        return sum;
    }

    List<ServerLatency> all() {
        List<ServerLatency> out = new ArrayList<>(histograms.size());
        for (LatencyHistograms h : histograms.values()) {
            out.add(h.read());
        }
        out.sort(Comparator.comparing(ServerLatency::virtualService).thenComparing(ServerLatency::subService)
                .thenComparing(ServerLatency::realServer));
        return List.copyOf(out);
    }
}
