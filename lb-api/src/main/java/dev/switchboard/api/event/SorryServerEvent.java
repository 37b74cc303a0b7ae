package dev.switchboard.api.event;

import java.util.Objects;

/**
 * A sub-service's sorry server took over (no real server is eligible, or the sub-service is down) or stopped
 * taking its traffic (a real server is eligible again). Sent only for sub-services that have a sorry server.
 *
 * @param virtualService the virtual service
 * @param subService the sub-service
 * @param sorryServer the sorry server's address, {@code host:port}
 * @param inUse whether new requests now go to the sorry server
 */
public record SorryServerEvent(String virtualService, String subService, String sorryServer, boolean inUse) {

    public SorryServerEvent {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(sorryServer, "sorryServer");
    }
}
