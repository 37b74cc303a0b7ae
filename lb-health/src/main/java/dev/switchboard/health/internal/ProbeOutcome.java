package dev.switchboard.health.internal;

import dev.switchboard.api.Health;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one probe.
 *
 * @param success whether the probe passed
 * @param reason a short reason, such as {@code status 200} or {@code timeout}
 * @param latencyNanos time from start to outcome
 * @param status the HTTP status received, 0 when there was none
 * @param agentAnswer what an agent answered, for agent checks that got an answer
 */
public record ProbeOutcome(boolean success, String reason, long latencyNanos, int status,
        Optional<AgentAnswer> agentAnswer) {

    public ProbeOutcome {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(agentAnswer, "agentAnswer");
    }

    public static ProbeOutcome ok(String reason, long latencyNanos) {
        return new ProbeOutcome(true, reason, latencyNanos, 0, Optional.empty());
    }

    public static ProbeOutcome failed(String reason, long latencyNanos) {
        return new ProbeOutcome(false, reason, latencyNanos, 0, Optional.empty());
    }

    /** An agent's answer: a failure when unreadable or {@code down}, else a success. */
    public static ProbeOutcome agent(AgentAnswer report, long latencyNanos) {
        boolean success = report.readable() && report.health().map(h -> h == Health.UP).orElse(true);
        return new ProbeOutcome(success, report.reason(), latencyNanos, 0, Optional.of(report));
    }

    /** This outcome with the HTTP status that was received. */
    public ProbeOutcome withStatus(int status) {
        return new ProbeOutcome(success, reason, latencyNanos, status, agentAnswer);
    }
}
