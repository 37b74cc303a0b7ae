package dev.switchboard.api.event;

/**
 * Hears what the engine's control plane changes. Every method has a no-op default; override what you need.
 * Handlers run on the thread that made the change (a health checker, an admin call) while the engine's control
 * lock is held: they must be fast and must not call back into the engine. An exception thrown by a handler is
 * logged and ignored.
 *
 * <pre>{@code
 * DispatchEngine.builder(model).listener(new EngineListener() {
 *     public void onSubServiceState(SubServiceStateEvent e) { alerts.raise(e); }
 * }).build();
 * }</pre>
 */
public interface EngineListener {

    /** A sub-service went up, into panic, or down. */
    default void onSubServiceState(SubServiceStateEvent event) {
    }

    /** Passive outlier detection ejected a real server from a sub-service, let it probe again, or returned it. */
    default void onOutlierState(OutlierStateEvent event) {
    }
}
