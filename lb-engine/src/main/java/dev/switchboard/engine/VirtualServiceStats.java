package dev.switchboard.engine;

import dev.switchboard.api.Protocol;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one virtual service.
 *
 * @param name the virtual service's name
 * @param protocol its protocol
 * @param totalRequests requests and connections dispatched: the sub-services' totals plus rejected and redirects
 * @param rejected answered by the engine itself without a sub-service's 503: a bad request (400), no sub-service
 *                 (404), or a deny rule, whether the virtual service's or a sub-service's (which runs after the server
 *                 is chosen, and gives its slot back: such a request counts in no sub-service or server total)
 * @param redirects answered with a redirect (a redirector)
 * @param persistenceEntries entries in the persistence tables of its sub-services (a shared table counted once)
 * @param subServices its sub-services
 * @param authentication its pre-authentication counters (all zero when it authenticates nobody)
 */
public record VirtualServiceStats(String name, Protocol protocol, long totalRequests, long rejected, long redirects,
        long persistenceEntries, List<SubServiceStats> subServices, AuthenticationStats authentication) {

    public VirtualServiceStats {
        subServices = List.copyOf(subServices);
        Objects.requireNonNull(authentication, "authentication");
    }

    /** A virtual service without pre-authentication counters. */
    public VirtualServiceStats(String name, Protocol protocol, long totalRequests, long rejected, long redirects,
            long persistenceEntries, List<SubServiceStats> subServices) {
        this(name, protocol, totalRequests, rejected, redirects, persistenceEntries, subServices,
                AuthenticationStats.NONE);
    }

    /** Leases not yet released, over every real server. */
    public long activeConnections() {
        return subServices.stream().flatMap(s -> s.realServers().stream())
                .mapToLong(RealServerStats::activeConnections).sum();
    }

    /** Open tunnels (upgraded connections), over every real server. */
    public long openTunnels() {
        return subServices.stream().flatMap(s -> s.realServers().stream())
                .mapToLong(RealServerStats::openTunnels).sum();
    }
}
