package dev.switchboard.api.event;

import dev.switchboard.api.OutlierState;
import java.util.Objects;

/**
 * Passive outlier detection changed the state of one real server in one sub-service: ejected, half-open (its
 * ejection ended, a few requests probe it) or normal again.
 *
 * @param virtualService the virtual service
 * @param subService the sub-service
 * @param server the real server
 * @param state the new state
 * @param reason why, as the detector said (e.g. {@code 5 consecutive failures, last: status 503})
 */
public record OutlierStateEvent(String virtualService, String subService, String server, OutlierState state,
        String reason) {

    public OutlierStateEvent {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
    }
}
