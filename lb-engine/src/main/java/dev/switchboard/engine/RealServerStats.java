package dev.switchboard.engine;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.api.OutlierState;

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
 * @param outlierState the passive (outlier detection) state in this sub-service
 * @param outlierReason why, as the detector last said (empty when never told)
 * @param ejections how many times passive detection ejected it here
 * @param agentWeightPercent the weight percentage its agent asked for (100 when none)
 * @param effectiveWeight the weight schedulers use: {@code weight} scaled by {@code agentWeightPercent}
 * @param stateByAgent whether {@code state} is one its agent set (drain, maint) rather than the operator
 * @param openTunnels leases that are open tunnels (WebSocket and other upgrades), counted in
 *                    {@code activeConnections} too
 */
public record RealServerStats(String name, Address address, AdminState state, Health health, String healthReason,
        int weight, boolean backup, int activeConnections, long totalRequests, long failures, long bytesIn, long bytesOut,
        OutlierState outlierState, String outlierReason, long ejections, int agentWeightPercent, int effectiveWeight,
        boolean stateByAgent, int openTunnels) {

    /** The stats without open tunnels (none). */
    public RealServerStats(String name, Address address, AdminState state, Health health, String healthReason,
            int weight, boolean backup, int activeConnections, long totalRequests, long failures, long bytesIn,
            long bytesOut, OutlierState outlierState, String outlierReason, long ejections, int agentWeightPercent,
            int effectiveWeight, boolean stateByAgent) {
        this(name, address, state, health, healthReason, weight, backup, activeConnections, totalRequests, failures,
                bytesIn, bytesOut, outlierState, outlierReason, ejections, agentWeightPercent, effectiveWeight,
                stateByAgent, 0);
    }
}
