package dev.switchboard.api;

import java.util.Objects;

/**
 * Where a forward decision goes.
 *
 * @param virtualService the virtual service's name
 * @param subService the sub-service's name
 * @param server the real server's name, or {@code sorry} for a sorry server
 * @param address the address to connect to
 * @param sorry whether this is a sorry server
 * @param proxyProtocol the PROXY protocol header to open a connection to it with ({@link ProxyProtocol#NONE}: none)
 * @param upstreamProtocol how to speak HTTP to it (HTTP/1.1 or HTTP/2)
 */
public record Target(String virtualService, String subService, String server, Address address, boolean sorry,
        ProxyProtocol proxyProtocol, UpstreamProtocol upstreamProtocol) {

    public Target {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
        Objects.requireNonNull(upstreamProtocol, "upstreamProtocol");
    }

    /** A target spoken to in HTTP/1.1. */
    public Target(String virtualService, String subService, String server, Address address, boolean sorry,
            ProxyProtocol proxyProtocol) {
        this(virtualService, subService, server, address, sorry, proxyProtocol, UpstreamProtocol.HTTP_1_1);
    }

    /** A target whose connections carry no PROXY protocol header, spoken to in HTTP/1.1. */
    public Target(String virtualService, String subService, String server, Address address, boolean sorry) {
        this(virtualService, subService, server, address, sorry, ProxyProtocol.NONE);
    }
}
