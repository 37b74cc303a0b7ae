package dev.switchboard.api.spi;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Health;
import dev.switchboard.api.OutlierState;

/**
 * Where health checkers report verdicts; the engine implements it. Health is per real server per sub-service.
 * The three inputs are kept apart and combined by the engine: the active verdict ({@link #setHealth}), the passive
 * one ({@link #setOutlierState}: an ejected server is out even while its probes pass, and goes back to what the
 * active verdict says when the ejection ends) and the wishes of a server's agent ({@link #setAgentWishes}).
 * Thread-safe; calls never block the request path.
 *
 * <pre>{@code
 * HealthSink sink = engine;   // DispatchEngine implements it
 * sink.setHealth("mail", "owa", "ex01", Health.DOWN, "GET /owa/healthcheck.htm: status 503");
 * }</pre>
 */
public interface HealthSink {

    /**
     * Sets the health of one real server in one sub-service.
     *
     * @return false when no such server exists in the current configuration
     */
    boolean setHealth(String virtualService, String subService, String server, Health health, String reason);

    /**
     * Sets the passive (outlier detection) state of one real server in one sub-service. The sink may refuse an
     * ejection that would take more of the pool out than the sub-service's maximum ejection percentage allows.
     * The default refuses everything (a sink that knows no passive health).
     *
     * @return whether the state was applied: false when the server is unknown or the ejection was refused
     */
    default boolean setOutlierState(String virtualService, String subService, String server, OutlierState state,
            String reason) {
        return false;
    }

    /**
     * Applies what a server's agent asks for in one sub-service: {@code weightPercent} (0..100) of its configured
     * weight, and an admin state — {@link AdminState#DRAINING} ({@code drain}), {@link AdminState#DISABLED}
     * ({@code maint}) or {@link AdminState#ENABLED} ({@code ready}/{@code up}: undo what the agent asked before).
     * An agent never overrides an operator: it changes the admin state only of a server that is enabled or that
     * the agent itself took out, and {@code ENABLED} restores only what the agent changed. The default ignores the
     * wishes.
     *
     * @return whether the server is known (the wishes may still have had no effect)
     * @throws IllegalArgumentException when {@code weightPercent} is not in 0..100
     */
    default boolean setAgentWishes(String virtualService, String subService, String server, int weightPercent,
            AdminState state, String reason) {
        return false;
    }

    /**
     * Reports one active probe of one real server in one sub-service, whatever its effect on the verdict: whether it
     * passed and how long it took. For statistics and metrics (probe counts, last latency); the verdict itself
     * still comes through {@link #setHealth}. The default ignores it.
     *
     * @return false when the sink does not know the server (or ignores probes)
     */
    default boolean probed(String virtualService, String subService, String server, boolean passed,
            long latencyNanos) {
        return false;
    }
}
