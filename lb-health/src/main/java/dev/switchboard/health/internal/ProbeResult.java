package dev.switchboard.health.internal;

import dev.switchboard.health.AgentReport;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one probe.
 *
 * @param success whether the probe passed
 * @param reason a short reason, such as {@code status 200} or {@code timeout}
 * @param latencyNanos time from start to outcome
 * @param agentReport what an agent answered, for agent checks that got an answer
 */
public record ProbeResult(boolean success, String reason, long latencyNanos, Optional<AgentReport> agentReport) {

    public ProbeResult {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(agentReport, "agentReport");
    }

    public static ProbeResult ok(String reason, long latencyNanos) {
        return new ProbeResult(true, reason, latencyNanos, Optional.empty());
    }

    public static ProbeResult failed(String reason, long latencyNanos) {
        return new ProbeResult(false, reason, latencyNanos, Optional.empty());
    }

    /** An agent's answer: a failure when unreadable or {@code down}, else a success. */
    public static ProbeResult agent(AgentReport report, long latencyNanos) {
        boolean success = report.readable() && report.health().map(h -> h == dev.switchboard.api.Health.UP)
                .orElse(true);
        return new ProbeResult(success, report.reason(), latencyNanos, Optional.of(report));
    }
}
