package dev.switchboard.api;

import java.util.Locale;

/** The health verdict of one real server in one sub-service (health is per workload, not per host). */
public enum Health {
    UP,
    DOWN;

    /** The configuration name, {@code up} or {@code down}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
