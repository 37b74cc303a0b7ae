package dev.switchboard.engine;

import dev.switchboard.engine.internal.snapshot.CompiledSubService;
import dev.switchboard.engine.internal.snapshot.CompiledVirtualService;
import dev.switchboard.engine.internal.snapshot.Pool;
import dev.switchboard.engine.internal.snapshot.RoutingTable;
import dev.switchboard.engine.internal.state.ServerState;
import dev.switchboard.engine.internal.state.ServiceCounters;
import dev.switchboard.api.spi.PersistenceStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;

/** Reads a routing table's live counters into immutable stats records. */
final class StatsSnapshot {

    private StatsSnapshot() {
    }

    /** The name of a pool mode in stats and events. */
    static String stateName(int mode) {
        return mode == Pool.DOWN ? "down" : mode == Pool.PANIC ? "panic" : "up";
    }

    static EngineStats of(RoutingTable table) {
        List<VirtualServiceStats> out = new ArrayList<>();
        for (CompiledVirtualService vs : table.virtualServices()) {
            List<SubServiceStats> subs = new ArrayList<>();
            Set<PersistenceStore> vsStores = Collections.newSetFromMap(new IdentityHashMap<>());
            for (CompiledSubService sub : vs.subServices()) {
                List<RealServerStats> servers = new ArrayList<>();
                for (int i = 0; i < sub.pool().size(); i++) {
                    ServerState s = sub.pool().state(i);
                    servers.add(new RealServerStats(s.name(), s.config().address(), s.admin(), s.health(),
                            s.healthReason(), s.config().weight(), s.config().isBackup(), s.activeConnections(),
                            s.totalRequests(), s.failures(), s.bytesIn(), s.bytesOut(), s.outlier(),
                            s.outlierReason(), s.ejections(), s.agentWeightPercent(),
                            sub.pool().weight(i), // the weight of the published table: what the schedulers use now
                            s.adminByAgent(), s.openTunnels()));
                }
                ServiceCounters c = sub.counters();
                long leases = servers.stream().mapToLong(RealServerStats::totalRequests).sum();
                long entries = 0;
                for (PersistenceStore store : new PersistenceStore[] {
                    sub.persistence().primaryStore(), sub.persistence().fallbackStore()}) {
                    if (store != null) {
                        entries += store.size();
                        vsStores.add(store);
                    }
                }
                subs.add(new SubServiceStats(sub.name(), stateName(sub.pool().mode()), sub.pool().usableCount(),
                        leases + c.sorryCount() + c.rejectedCount(), sub.queue().size(), c.queuedCount(),
                        c.rejectedCount(), c.sorryCount(), entries, servers));
            }
            ServiceCounters c = vs.counters();
            AuthenticationStats auth = AuthenticationStats.of(c.authenticationCounts());
            long total = subs.stream().mapToLong(SubServiceStats::totalRequests).sum() + c.rejectedCount()
                    + c.redirectCount() + auth.challenges();
            long entries = vsStores.stream().mapToLong(PersistenceStore::size).sum();
            out.add(new VirtualServiceStats(vs.name(), vs.protocol(), total, c.rejectedCount(), c.redirectCount(),
                    entries, subs, auth));
        }
        return new EngineStats(out);
    }
}
