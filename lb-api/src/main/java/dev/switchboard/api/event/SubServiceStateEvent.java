package dev.switchboard.api.event;

import java.util.Objects;

/**
 * A sub-service changed state as a whole: {@code up} (normal), {@code panic} (too few healthy servers: balancing
 * across every enabled one) or {@code down} (fewer healthy servers than its minimum: its sorry server takes over).
 *
 * @param virtualService the virtual service
 * @param subService the sub-service
 * @param state {@code up}, {@code panic} or {@code down}
 * @param healthyServers servers that are enabled, healthy and of weight above 0
 * @param servers servers in the pool
 */
public record SubServiceStateEvent(String virtualService, String subService, String state, int healthyServers,
        int servers) {

    public SubServiceStateEvent {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(state, "state");
    }
}
