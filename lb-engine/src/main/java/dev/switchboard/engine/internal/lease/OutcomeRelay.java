package dev.switchboard.engine.internal.lease;

import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.spi.OutcomeListener;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands lease outcomes to the engine's {@link OutcomeListener}: one volatile read when none is set, the call and a
 * catch otherwise. One per engine, shared by every compiled sub-service across reconfigurations. Thread-safe.
 */
public final class OutcomeRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRelay.class);

    private volatile OutcomeListener listener = OutcomeListener.NONE;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    /** Replaces the listener ({@link OutcomeListener#NONE} for none). */
    public void listener(OutcomeListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Reports one outcome; a listener that throws is logged (at WARN once, then at DEBUG), never rethrown. */
    public void report(String virtualService, String subService, String server, OutlierDetection detection,
            Outcome outcome) {
        OutcomeListener l = listener;
        if (l == OutcomeListener.NONE) {
            return;
        }
        try {
            l.onOutcome(virtualService, subService, server, detection, outcome);
        } catch (RuntimeException e) {
            if (failureLogged.compareAndSet(false, true)) {
                LOG.warn("outcome listener {} threw on {}/{}/{}; ignored (logged once)", l, virtualService,
                        subService, server, e);
            } else {
                LOG.debug("outcome listener {} threw: {}", l, e.toString());
            }
        }
    }
}
