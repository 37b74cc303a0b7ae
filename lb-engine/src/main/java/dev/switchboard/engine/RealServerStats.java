package dev.switchboard.engine;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Address;
import dev.switchboard.api.Health;

/**
 * A snapshot of one real server in one sub-service.
 *
 * @param name the server's name
 * @param address its address
 * @param state the admin state
 * @param health the health verdict in this sub-service
 * @param healthReason why, as the health checker last said (empty when never told)
 * @param weight the configured weight
 * @param backup whether it is a backup server
 * @param activeConnections leases not yet released (a lease never released stays here)
 * @param totalRequests leases handed out
 * @param failures releases with a connection failure or a 5xx
 * @param bytesIn bytes from clients, as reported by the host
 * @param bytesOut bytes to clients, as reported by the host
 */
public record RealServerStats(String name, Address address, AdminState state, Health health, String healthReason,
        int weight, boolean backup, int activeConnections, long totalRequests, long failures, long bytesIn, long bytesOut) {
}
