package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.OutlierState;
import dev.switchboard.api.Target;
import dev.switchboard.engine.internal.state.ServerState;
import dev.switchboard.engine.internal.trace.Trace;

/** The trace steps listing a sub-service's candidates before it chooses a server. Stateless. */
final class Candidates {

    private Candidates() {
    }

    /** Records the pool's mode and one step per real server; call only when the trace is enabled. */
    static void trace(Trace trace, String subService, String scheduler, Pool pool, Target[] targets) {
        trace.step("sub-service '" + subService + "', scheduler " + scheduler
                + (pool.backupsActive() ? ", backups active" : "")
                + (pool.mode() == Pool.PANIC ? ", PANIC: too few healthy servers, balancing across all enabled" : ""));
        for (int i = 0; i < pool.size(); i++) {
            ServerState s = pool.state(i);
            trace.step("  candidate " + s.name() + " " + targets[i].address() + ": " + s.admin().configName() + ", "
                    + s.health().configName() + (s.outlier() == OutlierState.NORMAL ? ""
                    : ", " + s.outlier().configName()) + ", weight " + pool.weight(i) + ", ramp " + pool.rampPermille(i)
                    + "/1000, active " + s.activeConnections()
                    + (s.config().maxConnections() > 0 ? "/" + s.config().maxConnections() : "")
                    + (pool.isBackup(i) ? ", backup" : "") + (pool.isEligible(i) ? ", eligible" : ", not eligible"));
        }
    }
}
