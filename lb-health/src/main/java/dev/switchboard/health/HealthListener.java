package dev.switchboard.health;

/**
 * Receives health events from a {@link HealthChecker}. Every method has a no-op default; override what you need.
 * Handlers run on the checker's scheduler thread: they must be fast and must not block. An exception thrown by a
 * handler is logged at WARN and ignored; it never stops the checker.
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
}
