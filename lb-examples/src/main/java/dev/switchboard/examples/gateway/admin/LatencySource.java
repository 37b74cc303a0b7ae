package dev.switchboard.examples.gateway.admin;

import java.util.Optional;

/**
 * Where the stats page gets latency percentiles from: per real server ({@link SampleKey} with a server) or per
 * sub-service (the server empty: every server of it merged). Implementations are thread-safe.
 *
 * <pre>{@code
 * LatencySource source = new TimerLatencySource(registry);
 * source.find(SampleKey.of("mail", "owa")).map(LatencySummary::p99);
 * }</pre>
 */
interface LatencySource {

    /** No latencies known (the engine's meters are bound elsewhere): every find is empty. */
    LatencySource NONE = key -> Optional.empty();

    /** The percentiles of one entry, when it has a timer with at least one recorded request. */
    Optional<LatencySummary> find(SampleKey key);
}
