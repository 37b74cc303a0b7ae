package dev.switchboard.api.spi;

import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierDetection;

/**
 * Hears the outcome of every lease released in a sub-service that has {@link OutlierDetection} configured: the
 * input of passive health (lb-health's {@code OutlierDetector} implements it). The engine calls it on the thread
 * that releases the lease, after the slot is returned; sub-services without outlier detection never call it.
 *
 * <p>Implementations must be thread-safe, fast and non-blocking (they run on the host's request threads) and should
 * not allocate on the success path. An exception thrown here is caught and logged by the engine, never thrown into
 * the host.
 *
 * <pre>{@code
 * OutlierDetector detector = OutlierDetector.builder(engine).build();
 * engine.setOutcomeListener(detector);
 * }</pre>
 */
@FunctionalInterface
public interface OutcomeListener {

    /** Hears nothing. */
    OutcomeListener NONE = (virtualService, subService, server, detection, outcome) -> { };

    /**
     * A lease on {@code server} in {@code virtualService/subService} ended with {@code outcome}; {@code detection}
     * is that sub-service's configuration.
     */
    void onOutcome(String virtualService, String subService, String server, OutlierDetection detection,
            Outcome outcome);
}
