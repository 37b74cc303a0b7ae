package dev.switchboard.examples.gateway.admin;

import dev.switchboard.engine.EngineStats;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.engine.SubServiceStats;
import dev.switchboard.engine.VirtualServiceStats;
import dev.switchboard.micrometer.LatencySnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Latency percentiles over the last minute, from the engine's latency histograms
 * ({@link dev.switchboard.micrometer.SwitchboardMetrics#latency}): each {@link #sample} keeps, per real server and
 * sub-service, the histogram every {@link #STEP} in a ring spanning {@link #WINDOW}; a read subtracts the oldest
 * kept from the histogram now ({@link LatencySnapshot#minus}), so p50 and p99 are those of the requests of the last
 * minute (of the time since the first sample, at first). An entry without requests in that window has no
 * percentiles. Entries whose names went are dropped at the next sample; memory is the model's size times
 * {@code WINDOW / STEP + 1} snapshots.
 *
 * <p>Thread-safe: one thread samples, any thread reads.
 */
final class RecentLatencies implements LatencySource {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration STEP = Duration.ofSeconds(10);

    private record Kept(Instant time, LatencySnapshot snapshot) {
    }

    private final Function<SampleKey, LatencySnapshot> reader;
    private final Map<SampleKey, ArrayDeque<Kept>> rings = new ConcurrentHashMap<>();

    /** @param reader the histogram now of a server, or of a sub-service (server empty) */
    RecentLatencies(Function<SampleKey, LatencySnapshot> reader) {
        this.reader = reader;
    }

    @Override
    public void sample(EngineStats stats, Instant now) {
        Set<SampleKey> seen = new HashSet<>();
        for (VirtualServiceStats vs : stats.virtualServices()) {
            for (SubServiceStats sub : vs.subServices()) {
                keep(SampleKey.of(vs.name(), sub.name()), now, seen);
                for (RealServerStats r : sub.realServers()) {
                    keep(new SampleKey(vs.name(), sub.name(), r.name()), now, seen);
                }
            }
        }
        rings.keySet().retainAll(seen);
    }

    private void keep(SampleKey key, Instant now, Set<SampleKey> seen) {
        seen.add(key);
        ArrayDeque<Kept> ring = rings.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (ring) {
            Kept last = ring.peekLast();
            if (last != null && Duration.between(last.time(), now).compareTo(STEP) < 0) {
                return;
            }
            ring.addLast(new Kept(now, reader.apply(key)));
            while (ring.size() > WINDOW.dividedBy(STEP) + 1) {
                ring.removeFirst();
            }
        }
    }

    @Override
    public Optional<LatencySummary> find(SampleKey key) {
        ArrayDeque<Kept> ring = rings.get(key);
        if (ring == null) {
            return Optional.empty();
        }
        LatencySnapshot oldest;
        synchronized (ring) {
            Kept first = ring.peekFirst();
            if (first == null) {
                return Optional.empty();
            }
            oldest = first.snapshot();
        }
        LatencySnapshot recent;
        try {
            recent = reader.apply(key).minus(oldest);
        } catch (IllegalArgumentException e) { // the bounds changed with a rebinding: start afresh
            return Optional.empty();
        }
        return summary(recent);
    }

    static Optional<LatencySummary> summary(LatencySnapshot s) {
        long count = s.count();
        if (count == 0) {
            return Optional.empty();
        }
        long[] cumulative = s.cumulativeCounts();
        boolean above = cumulative.length < 2 || cumulative[cumulative.length - 2] < Math.ceil(0.99 * count);
        return Optional.of(new LatencySummary(count, seconds(s.percentile(0.5)), seconds(s.percentile(0.99)), above));
    }

    private static Duration seconds(double seconds) {
        return Double.isNaN(seconds) ? Duration.ZERO : Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
