package dev.switchboard.engine;

import dev.switchboard.engine.internal.snapshot.CompiledSubService;
import dev.switchboard.engine.internal.snapshot.CompiledVirtualService;
import dev.switchboard.engine.internal.snapshot.RoutingTable;
import dev.switchboard.engine.internal.state.ServerState;
import dev.switchboard.engine.internal.state.ServiceCounters;
import java.util.ArrayList;
import java.util.List;

/** Reads a routing table's live counters into immutable stats records. */
final class StatsSnapshot {

    private StatsSnapshot() {
    }

    static EngineStats of(RoutingTable table) {
        List<VirtualServiceStats> out = new ArrayList<>();
        for (CompiledVirtualService vs : table.virtualServices()) {
            List<SubServiceStats> subs = new ArrayList<>();
            for (CompiledSubService sub : vs.subServices()) {
                List<RealServerStats> servers = new ArrayList<>();
                for (int i = 0; i < sub.pool().size(); i++) {
                    ServerState s = sub.pool().state(i);
                    servers.add(new RealServerStats(s.name(), s.config().address(), s.admin(), s.health(),
                            s.config().weight(), s.config().isBackup(), s.activeConnections(), s.totalRequests(),
                            s.failures(), s.bytesIn(), s.bytesOut()));
                }
                ServiceCounters c = sub.counters();
                long leases = servers.stream().mapToLong(RealServerStats::totalRequests).sum();
                subs.add(new SubServiceStats(sub.name(), leases + c.sorryCount() + c.rejectedCount(),
                        sub.queue().size(), c.queuedCount(), c.rejectedCount(), c.sorryCount(), servers));
            }
            ServiceCounters c = vs.counters();
            long total = subs.stream().mapToLong(SubServiceStats::totalRequests).sum() + c.rejectedCount()
                    + c.redirectCount();
            out.add(new VirtualServiceStats(vs.name(), vs.protocol(), total, c.rejectedCount(), c.redirectCount(),
                    subs));
        }
        return new EngineStats(out);
    }
}
