package dev.switchboard.engine;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Health;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierState;
import dev.switchboard.engine.internal.state.ServerState;

/**
 * A live view of one real server in one sub-service (see {@link LiveStats}): each method reads the engine's
 * counters when called, without allocating. The counters survive reconfiguration while the server keeps its name.
 * Thread-safe.
 */
public final class LiveRealServer {

    private final ServerState state;

    LiveRealServer(ServerState state) {
        this.state = state;
    }

    public String virtualService() {
        return state.virtualService();
    }

    public String subService() {
        return state.subService();
    }

    public String name() {
        return state.name();
    }

    /** Leases handed out. */
    public long requests() {
        return state.totalRequests();
    }

    /** Leases released with a response status in {@code statusClass}xx (1..5). */
    public long responses(int statusClass) {
        return state.traffic().responses(statusClass);
    }

    /** Leases released with {@code failure} (0 for {@link Outcome.Failure#NONE}). */
    public long failures(Outcome.Failure failure) {
        return state.traffic().failures(failure);
    }

    /** Leases not yet released. */
    public int activeConnections() {
        return state.activeConnections();
    }

    /** Bytes from clients, as the host reported them. */
    public long bytesIn() {
        return state.bytesIn();
    }

    /** Bytes to clients, as the host reported them. */
    public long bytesOut() {
        return state.bytesOut();
    }

    public Health health() {
        return state.health();
    }

    public AdminState adminState() {
        return state.admin();
    }

    public OutlierState outlierState() {
        return state.outlier();
    }

    /** How many times passive detection ejected it here. */
    public long ejections() {
        return state.ejections();
    }

    /** The weight schedulers use: the configured weight scaled by its agent's percentage. */
    public int effectiveWeight() {
        return state.effectiveWeight();
    }

    /** Active probes reported for it that passed (true) or failed (false). */
    public long probes(boolean passed) {
        return state.traffic().probes(passed);
    }

    /** The latency of its last reported probe in nanoseconds; -1 before the first. */
    public long lastProbeNanos() {
        return state.traffic().lastProbeNanos();
    }

    /** Whether this view and {@code other} read the same live state (the same server, not replaced since). */
    public boolean sameStateAs(LiveRealServer other) {
        return state == other.state;
    }

    @Override
    public String toString() {
        return "LiveRealServer[" + state.virtualService() + "/" + state.subService() + "/" + state.name() + "]";
    }
}
