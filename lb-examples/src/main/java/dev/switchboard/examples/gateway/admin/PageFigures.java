package dev.switchboard.examples.gateway.admin;

import dev.switchboard.api.event.EventKind;
import dev.switchboard.api.event.RecordedEvent;
import dev.switchboard.engine.EngineStats;
import dev.switchboard.engine.LiveRealServer;
import dev.switchboard.engine.LiveSubService;
import dev.switchboard.engine.LiveVirtualService;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the stats page and {@code /api/stats} show beyond the engine's snapshot, gathered once per render: rates
 * and sparklines (from the {@link StatsSampler}), responses by class, retries and redispatches (the engine's live counters),
 * latency percentiles (a {@link LatencySource}), and since when each server's health is what it is (the event
 * history's last health event, else what the sampler saw). Not thread-safe: one per render, on one thread.
 */
final class PageFigures {

    private final StatsSampler sampler;
    private final LatencySource latencies;
    private final Instant now;
    private final Map<SampleKey, long[]> classes = new HashMap<>();
    private final Map<SampleKey, Long> redispatches = new HashMap<>();
    private final Map<SampleKey, Long> retries = new HashMap<>();
    private final Map<SampleKey, RecordedEvent> lastHealth = new HashMap<>();

    private PageFigures(StatsSampler sampler, LatencySource latencies, Instant now) {
        this.sampler = sampler;
        this.latencies = latencies;
        this.now = now;
    }

    /** The figures of {@code control}'s engine now. */
    static PageFigures of(GatewayControl control, StatsSampler sampler, LatencySource latencies) {
        PageFigures f = new PageFigures(sampler, latencies, sampler.now());
        for (LiveVirtualService vs : control.engine().liveStats().virtualServices()) {
            for (LiveSubService sub : vs.subServices()) {
                long[] subClasses = new long[5];
                for (LiveRealServer r : sub.realServers()) {
                    long[] c = new long[5];
                    for (int i = 0; i < 5; i++) {
                        c[i] = r.responses(i + 1);
                        subClasses[i] += c[i];
                    }
                    f.classes.put(new SampleKey(vs.name(), sub.name(), r.name()), c);
                }
                SampleKey subKey = SampleKey.of(vs.name(), sub.name());
                f.classes.put(subKey, subClasses);
                f.redispatches.put(subKey, sub.redispatches());
                f.retries.put(subKey, sub.retries());
            }
        }
        control.findEventHistory().ifPresent(h -> {
            for (RecordedEvent e : h.events()) { // oldest first: the last one per server stays
                if (e.kind() == EventKind.HEALTH) {
                    f.lastHealth.put(new SampleKey(e.virtualService(), e.subService(), e.realServer()), e);
                }
            }
        });
        return f;
    }

    /** No sampler, no latencies: every rate 0, no sparkline, no since (a fleet member's published tree). */
    static PageFigures none(EngineStats stats) {
        return new PageFigures(new StatsSampler(Clock.systemUTC(), () -> stats, StatsSampler.DEFAULT_INTERVAL),
                LatencySource.NONE, Instant.now());
    }

    Instant now() {
        return now;
    }

    double rate(SampleKey key) {
        return sampler.findRates(key).map(RateHistory::currentRate).orElse(0.0);
    }

    double maxRate(SampleKey key) {
        return sampler.findRates(key).map(h -> Math.max(h.maxRateLastMinute(now), h.currentRate())).orElse(0.0);
    }

    double errorRate(SampleKey key) {
        return sampler.findRates(key).map(RateHistory::currentErrorRate).orElse(0.0);
    }

    List<RateHistory.Point> sparkline(SampleKey key) {
        return sampler.findRates(key).map(h -> h.sparkline(now)).orElse(List.of());
    }

    /** Responses by class, {@code [1xx, 2xx, 3xx, 4xx, 5xx]}, of a server or a sub-service. */
    long[] classes(SampleKey key) {
        return classes.getOrDefault(key, new long[5]);
    }

    long redispatches(SampleKey subService) {
        return redispatches.getOrDefault(subService, 0L);
    }

    long retries(SampleKey subService) {
        return retries.getOrDefault(subService, 0L);
    }

    Optional<LatencySummary> latency(SampleKey key) {
        return latencies.find(key);
    }

    /**
     * Since when a server's health (or a sub-service's state) is {@code state}: the last health event that moved it
     * there, else when the sampler first saw it so (for a state found at the first sample: since the page started
     * watching). Empty when neither knows.
     */
    Optional<Instant> since(SampleKey key, String state) {
        RecordedEvent e = lastHealth.get(key);
        if (e != null && e.to().equals(state)) {
            return Optional.of(e.time());
        }
        return sampler.findSince(key).filter(s -> s.state().equals(state)).map(StatsSampler.Since::since);
    }

    /** How long ago {@code time} was, readable ({@code 3m12s}). */
    String age(Instant time) {
        return Readable.duration(Duration.between(time, now));
    }
}
