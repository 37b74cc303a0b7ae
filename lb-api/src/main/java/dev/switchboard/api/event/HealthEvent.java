package dev.switchboard.api.event;

import dev.switchboard.api.Health;
import java.util.Objects;

/**
 * The active health verdict of one real server in one sub-service changed (health is per workload, not per host).
 *
 * @param virtualService the virtual service
 * @param subService the sub-service
 * @param server the real server
 * @param previous the verdict before
 * @param current the verdict now
 * @param reason why, as the health check said (e.g. {@code status 503 (expected 200)}); may be empty
 */
public record HealthEvent(String virtualService, String subService, String server, Health previous, Health current,
        String reason) {

    public HealthEvent {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(reason, "reason");
    }
}
