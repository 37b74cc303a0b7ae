package dev.switchboard.examples.gateway.admin;

import dev.switchboard.engine.EngineStats;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the stats page gets latency percentiles from: per real server ({@link SampleKey} with a server) or per
 * sub-service (the server empty: every server of it merged). Implementations are thread-safe.
 *
 * <pre>{@code
 * LatencySource source = new RecentLatencies(key -> metrics.latency(key.virtualService(), key.subService()));
 * source.find(SampleKey.of("mail", "owa")).map(LatencySummary::p99);
 * }</pre>
 */
interface LatencySource {

    /** No latencies known (the engine's meters are bound elsewhere): every find is empty. */
    LatencySource NONE = key -> Optional.empty();

    /** The percentiles of one entry, when it has at least one recorded request in the source's window. */
    Optional<LatencySummary> find(SampleKey key);

    /** Called with each stats sample ({@link StatsSampler}), for a source that keeps a window; nothing by default. */
    default void sample(EngineStats stats, Instant now) {
    }
}
