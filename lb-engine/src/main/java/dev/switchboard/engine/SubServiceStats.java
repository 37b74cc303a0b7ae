package dev.switchboard.engine;

import java.util.List;

/**
 * A snapshot of one sub-service.
 *
 * @param name the sub-service's name
 * @param state {@code up}, {@code panic} (too few healthy servers: balancing across all enabled ones) or
 *     {@code down} (fewer healthy servers than its minimum)
 * @param healthyServers servers that are enabled, healthy and of weight above 0
 * @param totalRequests requests that reached this sub-service: leases handed out, plus sorry and rejected
 * @param waiting requests in the wait queue now
 * @param queuedTotal requests that ever waited
 * @param rejected requests answered 503 (nothing eligible, queue full or timed out)
 * @param sorry requests sent to the sorry server
 * @param persistenceEntries entries in this sub-service's persistence tables (shared tables count fully here)
 * @param realServers the pool
 */
public record SubServiceStats(String name, String state, int healthyServers, long totalRequests, int waiting,
        long queuedTotal, long rejected, long sorry, long persistenceEntries, List<RealServerStats> realServers) {

    public SubServiceStats {
        realServers = List.copyOf(realServers);
    }
}
