package dev.switchboard.health;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Health;
import dev.switchboard.api.spi.HealthSink;
import dev.switchboard.health.internal.ProbeGroup;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the {@link HealthChecker}'s verdicts go: the sink (the engine) and the listeners. A sink or listener that
 * throws is logged at WARN and ignored, so that one bad handler never stops the checker or the other handlers.
 * Used on the checker's loop thread.
 */
final class Verdicts {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    private final HealthSink sink;
    private final List<HealthListener> listeners;

    Verdicts(HealthSink sink, List<HealthListener> listeners) {
        this.sink = sink;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Reports what one probe result did to each target of the probe: a change (logged at INFO, to the sink and as a
     * transition) or the first verdict (to the sink); returns false when there was neither.
     */
    boolean recorded(List<HealthTarget> targets, ProbeGroup.Recorded r, String reason) {
        if (r.changed()) {
            for (HealthTarget t : targets) {
                log.info("health {}: {} -> {}: {}", t, r.from(), r.to(), reason);
                health(t, r.to(), reason);
                transition(new HealthTransition(t, r.from(), r.to(), reason));
            }
        } else if (r.first()) {
            for (HealthTarget t : targets) {
                log.info("health {}: stays {} after first check: {}", t, r.to(), reason);
                health(t, r.to(), reason);
            }
        }
        return r.changed() || r.first();
    }

    /** Tells the sink of one probe of the targets (for its statistics), whatever the verdict. */
    void probed(List<HealthTarget> targets, boolean passed, long latencyNanos) {
        for (HealthTarget t : targets) {
            try {
                sink.probed(t.virtualService(), t.subService(), t.server(), passed, latencyNanos);
            } catch (RuntimeException e) {
                log.warn("health {}: sink failed on a probe report", t, e);
            }
        }
    }

    void health(HealthTarget t, Health health, String reason) {
        try {
            if (!sink.setHealth(t.virtualService(), t.subService(), t.server(), health, reason)) {
                log.debug("health {}: the sink does not know this server", t);
            }
        } catch (RuntimeException e) {
            log.warn("health {}: sink failed on {}", t, health, e);
        }
    }

    void wishes(HealthTarget t, int weightPercent, AdminState state, String reason) {
        try {
            if (!sink.setAgentWishes(t.virtualService(), t.subService(), t.server(), weightPercent, state, reason)) {
                log.debug("agent {}: the sink does not apply wishes for this server", t);
            }
        } catch (RuntimeException e) {
            log.warn("agent {}: sink failed on wishes {}% {}", t, weightPercent, state.configName(), e);
        }
    }

    void transition(HealthTransition transition) {
        for (HealthListener l : listeners) {
            try {
                l.onTransition(transition);
            } catch (RuntimeException e) {
                log.warn("health listener {} failed on {}; ignored", l, transition, e);
            }
        }
    }

    void agentReport(HealthTarget target, AgentReport report) {
        for (HealthListener l : listeners) {
            try {
                l.onAgentReport(target, report);
            } catch (RuntimeException e) {
                log.warn("health listener {} failed on agent report {} for {}; ignored", l, report, target, e);
            }
        }
    }
}
