package dev.switchboard.engine;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.engine.internal.snapshot.CompiledSubService;
import dev.switchboard.engine.internal.snapshot.CompiledVirtualService;
import dev.switchboard.engine.internal.state.ServiceCounters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A live view of one virtual service (see {@link LiveStats}): each method reads the engine's counters when called.
 * Counts are monotonic while the virtual service keeps its name, except {@link #requests()}, which sums the real
 * servers in force (a server that leaves takes its count along). Thread-safe.
 */
public final class LiveVirtualService {

    private final LiveStats live;
    private final String name;
    private final ServiceCounters counters;

    LiveVirtualService(LiveStats live, String name, ServiceCounters counters) {
        this.live = live;
        this.name = name;
        this.counters = counters;
    }

    public String name() {
        return name;
    }

    /** Views of its sub-services in force, in configuration order; empty once it is gone. */
    public List<LiveSubService> subServices() {
        Optional<CompiledVirtualService> vs = live.findVirtualService(name);
        if (vs.isEmpty()) {
            return List.of();
        }
        List<LiveSubService> out = new ArrayList<>();
        for (CompiledSubService sub : vs.get().subServices()) {
            out.add(new LiveSubService(live, name, sub.name(), sub.counters()));
        }
        return List.copyOf(out);
    }

    /** Requests and connections dispatched: its sub-services' requests plus the engine's own answers here. */
    public long requests() {
        long total = counters.rejectedCount() + counters.redirectCount();
        for (LiveSubService sub : subServices()) {
            total += sub.requests();
        }
        return total;
    }

    /** Answered with a redirect (a redirector). */
    public long redirects() {
        return counters.redirectCount();
    }

    /** Answered 400: a path or host that cannot be normalized, or a redirect without a host. */
    public long badRequests() {
        return counters.badRequestCount();
    }

    /** Answered 404: no sub-service matches and there is no default. */
    public long notFound() {
        return counters.notFoundCount();
    }

    /** Answered by a deny rule (of the virtual service or of a sub-service), whatever its status. */
    public long denied() {
        return counters.deniedCount();
    }

    /** Answered 503 here (a layer-4 virtual service without sub-services); a sub-service's 503s count there. */
    public long unavailable() {
        return counters.rejectedCount() - counters.badRequestCount() - counters.notFoundCount()
                - counters.deniedCount();
    }

    /** Whether some sub-service of it pre-authenticates now (false once it is gone). */
    public boolean authenticates() {
        return live.findVirtualService(name).map(CompiledVirtualService::authenticates).orElse(false);
    }

    /** Its pre-authentication counters (logins, failures, lockouts, ...), monotonic while it keeps its name. */
    public AuthenticationStats authentication() {
        return AuthenticationStats.of(counters.authenticationCounts());
    }

    /** Entries in the persistence tables of its sub-services (a shared table counted once). */
    public long persistenceEntries() {
        Optional<CompiledVirtualService> vs = live.findVirtualService(name);
        if (vs.isEmpty()) {
            return 0;
        }
        Set<PersistenceStore> stores = Collections.newSetFromMap(new IdentityHashMap<>());
        for (CompiledSubService sub : vs.get().subServices()) {
            addIfPresent(stores, sub.persistence().primaryStore());
            addIfPresent(stores, sub.persistence().fallbackStore());
        }
        return stores.stream().mapToLong(PersistenceStore::size).sum();
    }

    private static void addIfPresent(Set<PersistenceStore> stores, PersistenceStore store) {
        if (store != null) {
            stores.add(store);
        }
    }

    @Override
    public String toString() {
        return "LiveVirtualService[" + name + "]";
    }
}
