package dev.switchboard.api.event;

/**
 * Hears what the engine's control plane changes. Every method has a no-op default; override what you need.
 * Events arrive one at a time, in the order of the changes, after the change is made and outside every lock of the
 * engine, on a thread that made a change (a health checker, an admin call, a reload). Handlers should be fast (the
 * caller that delivers them waits); they may call back into the engine, whose own events then follow the ones
 * already queued. An exception thrown by a handler is logged and ignored.
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

    /** A reconfiguration put a new model in force (not sent when the model equals the one in force). */
    default void onConfiguration(ConfigurationEvent event) {
    }

    /** Passive outlier detection ejected a real server from a sub-service, let it probe again, or returned it. */
    default void onOutlierState(OutlierStateEvent event) {
    }

    /** The active health verdict of a real server in a sub-service went down or up. */
    default void onHealth(HealthEvent event) {
    }

    /** An operator or an agent changed the admin state of a real server in a sub-service. */
    default void onAdminState(AdminStateEvent event) {
    }

    /** A sub-service's sorry server took over, or stopped taking its traffic. */
    default void onSorryServer(SorryServerEvent event) {
    }

    /**
     * Pre-authentication logged a user in, refused one, or locked one out. Unlike the others this event comes from
     * the request side (the thread that completed the directory's check), not from a control-plane change, and
     * may arrive concurrently with others: keep it fast and thread-safe.
     */
    default void onAuthentication(AuthenticationEvent event) {
    }
}
