package dev.switchboard.engine;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.engine.internal.snapshot.CompiledSubService;
import dev.switchboard.engine.internal.snapshot.Pool;
import dev.switchboard.engine.internal.state.ServiceCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A live view of one sub-service (see {@link LiveStats}): each method reads the engine's counters when called.
 * Counters are monotonic while the sub-service keeps its name, except {@link #requests()}, which sums the real
 * servers in force. Once the sub-service is gone, the gauges read 0. Thread-safe.
 */
public final class LiveSubService {

    private final LiveStats live;
    private final String virtualService;
    private final String name;
    private final ServiceCounters counters;

    LiveSubService(LiveStats live, String virtualService, String name, ServiceCounters counters) {
        this.live = live;
        this.virtualService = virtualService;
        this.name = name;
        this.counters = counters;
    }

    public String virtualService() {
        return virtualService;
    }

    public String name() {
        return name;
    }

    private Optional<CompiledSubService> compiled() {
        return live.findSubService(virtualService, name);
    }

    /** Views of its real servers in force, in configuration order; empty once it is gone. */
    public List<LiveRealServer> realServers() {
        Optional<CompiledSubService> sub = compiled();
        if (sub.isEmpty()) {
            return List.of();
        }
        Pool pool = sub.get().pool();
        List<LiveRealServer> out = new ArrayList<>(pool.size());
        for (int i = 0; i < pool.size(); i++) {
            out.add(new LiveRealServer(pool.state(i)));
        }
        return List.copyOf(out);
    }

    /** Requests that reached it: leases of its real servers in force, plus sorry-server and 503 answers. */
    public long requests() {
        long total = counters.sorryCount() + counters.rejectedCount();
        Optional<CompiledSubService> sub = compiled();
        if (sub.isPresent()) {
            Pool pool = sub.get().pool();
            for (int i = 0; i < pool.size(); i++) {
                total += pool.state(i).totalRequests();
            }
        }
        return total;
    }

    /** Answered 503: nothing eligible, the queue full, or the wait timed out. */
    public long rejected() {
        return counters.rejectedCount();
    }

    /** Sent to the sorry server. */
    public long sorry() {
        return counters.sorryCount();
    }

    /** Requests that ever waited in its queue. */
    public long queued() {
        return counters.queuedCount();
    }

    /** Requests waiting in its queue now. */
    public int waiting() {
        return compiled().map(s -> s.queue().size()).orElse(0);
    }

    /** {@code up}, {@code panic} or {@code down}; {@code gone} once the sub-service is no longer configured. */
    public String state() {
        return compiled().map(s -> StatsSnapshot.stateName(s.pool().mode())).orElse("gone");
    }

    /** Servers that are enabled, healthy and of weight above 0. */
    public int healthyServers() {
        return compiled().map(s -> s.pool().usableCount()).orElse(0);
    }

    /** Entries in its persistence tables (a table shared with other sub-services counts fully here). */
    public long persistenceEntries() {
        Optional<CompiledSubService> sub = compiled();
        if (sub.isEmpty()) {
            return 0;
        }
        PersistenceStore primary = sub.get().persistence().primaryStore();
        PersistenceStore fallback = sub.get().persistence().fallbackStore();
        return (primary == null ? 0 : primary.size()) + (fallback == null ? 0 : fallback.size());
    }

    /** Requests whose client persistence kept on its server (a valid cookie or a table entry, server usable). */
    public long persistenceHits() {
        return counters.persistenceHitCount();
    }

    /** Requests persistence could not keep: no cookie or entry, or a server that cannot take the client now. */
    public long persistenceMisses() {
        return counters.persistenceMissCount();
    }

    /**
     * Leases that failed to connect to the server persistence kept their client on: the entry was dropped so the
     * host's retry is scheduled afresh (HAProxy's redispatch).
     */
    public long redispatches() {
        return counters.redispatchCount();
    }

    /** Attempts on this sub-service's servers that failed and that the host sent again ({@link DispatchEngine#retried}). */
    public long retries() {
        return counters.retryCount();
    }

    @Override
    public String toString() {
        return "LiveSubService[" + virtualService + "/" + name + "]";
    }
}
