package dev.switchboard.health;

/**
 * Receives health events from a {@link HealthChecker}. Every method has a no-op default; override what you need.
 * Handlers run on the checker's one thread, which also runs the TCP and plain-HTTP probes: they must be fast and
 * must not block, since a handler that blocks delays every probe. An exception thrown by a handler is logged at WARN
 * and ignored; it never stops the checker.
 *
 * <pre>{@code
 * HealthListener l = new HealthListener() {
 *     public void onTransition(HealthTransition t) { metrics.count(t.to()); }
 * };
 * }</pre>
 */
public interface HealthListener {

    /** A target's verdict changed (not called for its initial state). */
    default void onTransition(HealthTransition transition) {
    }

    /**
     * An agent check's answer for a target: on its first answer, whenever the answer changes, and once for a target
     * added to an endpoint that already answered. The health in it and the wishes (weight percentage, drain,
     * maintenance) are applied by the checker through its sink; this is for metrics and admin pages.
     */
    default void onAgentReport(HealthTarget target, AgentReport report) {
    }
}
