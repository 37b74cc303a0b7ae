package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.OutlierState;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.engine.internal.state.ServerState;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compiled and validated configuration not yet in force: the next {@link RoutingTable} plus what must change in
 * the live state of the servers that keep their names (configuration, an admin state edited in the configuration,
 * an outlier state whose detection was removed, slow start of servers that become usable) and of the pools (the
 * backup tier). Building one changes no live state, so a configuration that fails to compile leaves everything as
 * it was; {@link #apply()} makes the changes and hands the table to publish.
 *
 * <p>Not thread-safe: compiled and applied on the engine's control plane, one change at a time, with no other
 * control-plane change in between (the live state it was compiled against must still be the live state).
 */
public final class TablePlan {

    private static final Logger LOG = LoggerFactory.getLogger(TablePlan.class);

    private final RoutingTable table;
    private final List<ServerChange> servers;
    private final List<PoolChange> pools;
    private final boolean reconfiguring;
    private final Runnable commitStores;
    private final Ticker ticker;
    private boolean applied;

    TablePlan(RoutingTable table, List<ServerChange> servers, List<PoolChange> pools, boolean reconfiguring,
            Ticker ticker, Runnable commitStores) {
        this.table = table;
        this.commitStores = commitStores;
        this.servers = List.copyOf(servers);
        this.pools = List.copyOf(pools);
        this.reconfiguring = reconfiguring;
        this.ticker = ticker;
    }

    /** One server of the new table: its live state, the configuration it takes on, whether it is new. */
    record ServerChange(ServerState state, RealServer config, boolean added, boolean outlierDetection,
            long slowStartNanos) {
    }

    /** One pool of the new table and the pool it replaces ({@code next} itself for a new sub-service). */
    record PoolChange(Pool next, Pool previous) {
    }

    /**
     * Applies the changes to the live states, in order: each server takes its new configuration (and its configured
     * admin state when the configuration changed it), servers that become usable start their slow start, then every
     * pool recounts its usable servers and backup tier.
     *
     * @return the table to publish
     * @throws IllegalStateException when the plan was already applied
     */
    public RoutingTable apply() {
        if (applied) {
            throw new IllegalStateException("this plan was already applied");
        }
        applied = true;
        commitStores.run();
        long now = ticker.read();
        for (ServerChange c : servers) {
            apply(c, now);
        }
        for (PoolChange p : pools) {
            if (p.previous() == p.next()) {
                p.next().refresh();
            } else {
                p.next().refreshAfter(p.previous());
            }
        }
        return table;
    }

    private void apply(ServerChange c, long now) {
        ServerState s = c.state();
        boolean wasUsable = !c.added() && s.isUsable();
        if (!c.added()) {
            AdminState configured = c.config().initialState();
            boolean edited = s.config().initialState() != configured; // the operator edited the file's state
            s.config(c.config());
            if (edited && s.admin(configured)) {
                LOG.info("{}: admin state {} from the configuration", s, configured.configName());
            }
            if (!c.outlierDetection() && s.outlier() != OutlierState.NORMAL) {
                s.outlier(OutlierState.NORMAL, "outlier detection removed from the configuration", 1);
            }
        }
        if (reconfiguring && !wasUsable && s.isUsable()) {
            s.startRamp(now, c.slowStartNanos()); // added, weight 0 -> N, enabled in the file: ramps up
        }
    }
}
