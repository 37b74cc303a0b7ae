package dev.switchboard.benchmarks.peers;

/**
 * The work every implementation in {@link PeerPickBenchmark} does: pick one endpoint of a fixed pool. The
 * returned object is the endpoint itself (Armeria's {@code Endpoint} for every implementation, so that the work
 * after the pick is the same). Implementations are thread-safe.
 */
public interface EndpointPicker {

    /** The next endpoint. */
    Object pick();
}
