package dev.switchboard.api.event;

import java.util.Locale;

/**
 * What a {@link RecordedEvent} of an event history is about; {@link #configName()} is the {@code kind} of
 * {@code GET /api/events}. The {@code from}/{@code to} values each kind carries are listed with it.
 */
public enum EventKind {
    /** A real server's active health in one sub-service: {@code up}/{@code down}; the reason is the probe's. */
    HEALTH,
    /** A real server's admin state in one sub-service: {@code enabled}/{@code draining}/{@code disabled}. */
    ADMIN_STATE,
    /** Passive outlier detection: {@code normal}/{@code ejected}/{@code half-open}. */
    OUTLIER,
    /** A sub-service as a whole: {@code up}, {@code panic} (panic mode) or {@code down}. */
    SUB_SERVICE,
    /** A sub-service's sorry server: {@code unused}/{@code in-use}; the reason names its address. */
    SORRY_SERVER,
    /** A new configuration is in force (no from/to). */
    RELOAD,
    /** A configuration was refused (a rejected reload): the reason lists what is wrong; nothing changed. */
    CONFIGURATION_ERROR,
    /** A member of the fleet: {@code joined}/{@code left}; the reason names it. */
    CLUSTER_MEMBER,
    /**
     * Pre-authentication on a virtual service: {@code to} is {@code login}, {@code failure} or {@code lockout}; the
     * reason names the user and client (never a password).
     */
    AUTHENTICATION;

    /** The name in the admin API and the logs: {@code health}, {@code admin-state}, ... */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
