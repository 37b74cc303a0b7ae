package dev.switchboard.api.spi;

import dev.switchboard.api.AdminState;
import java.util.Objects;

/**
 * An operator's admin state for real servers, as shared between the members of a {@link Fleet}: one real server in
 * one sub-service, or, with {@code virtualService} and {@code subService} null, every real server of that name in
 * every sub-service (maintenance of a host).
 *
 * @param virtualService the virtual service, or null for every one
 * @param subService the sub-service, or null for every one (null exactly when {@code virtualService} is)
 * @param server the real server's name
 * @param state the state set
 */
public record AdminStateChange(String virtualService, String subService, String server,
        AdminState state) {

    /** @throws IllegalArgumentException when only one of virtualService and subService is null */
    public AdminStateChange {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(state, "state");
        if ((virtualService == null) != (subService == null)) {
            throw new IllegalArgumentException("virtualService and subService: both or neither, got '"
                    + virtualService + "' and '" + subService + "'");
        }
    }

    /** The state of every real server named {@code server}, in every sub-service. */
    public static AdminStateChange host(String server, AdminState state) {
        return new AdminStateChange(null, null, server, state);
    }

    /** Whether it names every sub-service. */
    public boolean everySubService() {
        return virtualService == null;
    }
}
