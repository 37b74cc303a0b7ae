package dev.switchboard.api.event;

import dev.switchboard.api.AdminState;
import java.util.Objects;

/**
 * The admin state of one real server in one sub-service changed: set by an operator (the engine's
 * {@code setAdminState}, here or on another member of a fleet) or by the server's agent.
 *
 * @param virtualService the virtual service
 * @param subService the sub-service
 * @param server the real server
 * @param previous the state before
 * @param current the state now
 * @param reason who set it: {@code operator}, or {@code agent: } and what the agent said
 */
public record AdminStateEvent(String virtualService, String subService, String server, AdminState previous,
        AdminState current, String reason) {

    public AdminStateEvent {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(reason, "reason");
    }
}
