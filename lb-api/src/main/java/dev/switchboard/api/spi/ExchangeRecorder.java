package dev.switchboard.api.spi;

import dev.switchboard.api.Outcome;

/**
 * Records the outcome of every lease released on one real server in one sub-service: the hook for latency
 * histograms (time to first byte, total time) of a metrics library. The engine asks a {@link Factory} for one
 * recorder per real server per sub-service, keeps it while the server keeps its name, and calls it on the thread
 * that releases the lease, after the slot is returned (not for sorry-server leases, which hold no slot). Counters
 * (requests, responses by class, failures by kind, bytes) are kept by the engine itself and need no recorder.
 *
 * <p>Implementations must be thread-safe, fast and non-blocking (they run on the host's request threads) and should
 * not allocate. An exception thrown here is caught and logged by the engine, never thrown into the host.
 *
 * <pre>{@code
 * engine.liveStats().recorders((vs, sub, server) -> outcome -> timer.record(outcome.durationNanos(), NANOSECONDS));
 * }</pre>
 */
@FunctionalInterface
public interface ExchangeRecorder {

    /** Records nothing. */
    ExchangeRecorder NONE = outcome -> { };

    /** A lease ended with {@code outcome}. */
    void record(Outcome outcome);

    /**
     * Makes the recorder of one real server in one sub-service; called on the engine's control plane when the
     * factory is set and for every server a reconfiguration adds. Must not call back into the engine.
     */
    @FunctionalInterface
    interface Factory {

        /** The recorder for {@code server} in {@code virtualService/subService}; {@link #NONE} for none. */
        ExchangeRecorder recorder(String virtualService, String subService, String server);
    }
}
