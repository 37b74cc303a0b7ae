package dev.switchboard.engine;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Health;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.OutlierState;
import dev.switchboard.api.event.AdminStateEvent;
import dev.switchboard.api.event.ConfigurationEvent;
import dev.switchboard.api.event.EngineListener;
import dev.switchboard.api.event.HealthEvent;
import dev.switchboard.api.event.OutlierStateEvent;
import dev.switchboard.api.event.SorryServerEvent;
import dev.switchboard.api.event.SubServiceStateEvent;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.engine.internal.snapshot.CompiledSubService;
import dev.switchboard.engine.internal.snapshot.CompiledVirtualService;
import dev.switchboard.engine.internal.snapshot.Pool;
import dev.switchboard.engine.internal.snapshot.RoutingTable;
import dev.switchboard.engine.internal.state.ServerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's writes to servers' state: admin state, and from the {@link dev.switchboard.api.spi.HealthSink} side
 * active health, passive (outlier) state and agent wishes, each followed by the pool's refresh and its events.
 * Called by {@link DispatchEngine} inside a {@link ControlPlane#change}, so one change at a time; the events are
 * published there and reach the listener after the change, outside the lock. Not thread-safe on its own.
 */
final class ServerControls {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchEngine.class);

    /** What an agent's wishes did: nothing known, a change of state only, or a weight change (recompile). */
    enum AgentEffect { UNKNOWN, APPLIED, WEIGHT_CHANGED }

    private final Ticker ticker;
    private final EngineListener listener;
    private final ControlPlane control;

    ServerControls(Ticker ticker, EngineListener listener, ControlPlane control) {
        this.ticker = ticker;
        this.listener = listener;
        this.control = control;
    }

    private record Found(CompiledSubService sub, ServerState state) {
    }

    private static Optional<Found> find(RoutingTable table, String virtualService, String subService,
            String server) {
        CompiledVirtualService vs = table.virtualService(virtualService);
        if (vs == null) {
            return Optional.empty();
        }
        for (CompiledSubService sub : vs.subServices()) {
            if (sub.name().equals(subService)) {
                for (int i = 0; i < sub.pool().size(); i++) {
                    if (sub.pool().state(i).name().equals(server)) {
                        return Optional.of(new Found(sub, sub.pool().state(i)));
                    }
                }
            }
        }
        return Optional.empty();
    }

    boolean health(RoutingTable table, String vs, String sub, String server, Health health, String reason) {
        Found f = find(table, vs, sub, server).orElse(null);
        if (f == null) {
            return false;
        }
        boolean wasUsable = f.state().isUsable();
        Health before = f.state().health();
        if (f.state().health(health, reason)) {
            LOG.info("{}: health {} ({})", f.state(), health.configName(), reason);
            HealthEvent event = new HealthEvent(vs, sub, server, before, health, reason);
            publish(event, () -> listener.onHealth(event));
        }
        afterChange(f.sub(), f.state(), wasUsable);
        return true;
    }

    boolean outlier(RoutingTable table, String vs, String sub, String server, OutlierState state, String reason) {
        Found f = find(table, vs, sub, server).orElse(null);
        if (f == null) {
            return false;
        }
        ServerState s = f.state();
        Pool pool = f.sub().pool();
        if (!f.sub().detecting() && state != OutlierState.NORMAL) {
            LOG.info("{}: {} refused: the sub-service has no outlier detection ({})", s, state.configName(), reason);
            return false;
        }
        if (state == OutlierState.EJECTED && s.outlier() != OutlierState.EJECTED) {
            int allowed = pool.size() * f.sub().detection().maxEjectionPercent() / 100;
            if (pool.ejectedCount() + 1 > allowed) {
                LOG.info("{}: not ejected ({}): {} of {} servers already ejected, maximum {}% allows {}", s, reason,
                        pool.ejectedCount(), pool.size(), f.sub().detection().maxEjectionPercent(), allowed);
                return false;
            }
        }
        boolean wasUsable = s.isUsable();
        if (s.outlier(state, reason, f.sub().detection().halfOpenCalls())) {
            LOG.info("{}: outlier detection: {} ({})", s, state.configName(), reason);
            OutlierStateEvent event = new OutlierStateEvent(vs, sub, server, state, reason);
            publish(event, () -> listener.onOutlierState(event));
        }
        afterChange(f.sub(), s, wasUsable);
        return true;
    }

    AgentEffect agentWishes(RoutingTable table, String vs, String sub, String server, int weightPercent,
            AdminState state, String reason) {
        Found f = find(table, vs, sub, server).orElse(null);
        if (f == null) {
            return AgentEffect.UNKNOWN;
        }
        ServerState s = f.state();
        boolean wasUsable = s.isUsable();
        AdminState before = s.admin();
        if (s.agentAdmin(state)) {
            LOG.info("{}: admin state {} by its agent ({})", s, s.admin().configName(), reason);
            adminChanged(s, before, "agent: " + reason);
        } else if (state != AdminState.ENABLED && state != before && !s.adminByAgent()) {
            LOG.info("{}: agent asks for {} ({}); the operator's {} stays", s, state.configName(), reason,
                    before.configName());
        }
        boolean weightChanged = s.agentWeightPercent(weightPercent);
        if (weightChanged) {
            LOG.info("{}: weight {}% of {} by its agent ({})", s, weightPercent, s.config().weight(), reason);
        }
        afterChange(f.sub(), s, wasUsable);
        return weightChanged ? AgentEffect.WEIGHT_CHANGED : AgentEffect.APPLIED;
    }

    /**
     * Sets the admin state of every server {@code which} accepts, in every sub-service of {@code table}.
     *
     * @return per server, a future completing with true when it has no active leases (at once for
     *         {@link AdminState#ENABLED}); empty when {@code which} accepts none
     */
    List<CompletableFuture<Boolean>> admin(RoutingTable table, Predicate<ServerState> which, AdminState state) {
        List<CompletableFuture<Boolean>> drains = new ArrayList<>();
        for (CompiledVirtualService vs : table.virtualServices()) {
            for (CompiledSubService sub : vs.subServices()) {
                for (int i = 0; i < sub.pool().size(); i++) {
                    ServerState s = sub.pool().state(i);
                    if (!which.test(s)) {
                        continue;
                    }
                    boolean wasUsable = s.isUsable();
                    AdminState before = s.admin();
                    if (s.admin(state)) {
                        LOG.info("{}: admin state {}", s, state.configName());
                        adminChanged(s, before, "operator");
                    }
                    afterChange(sub, s, wasUsable);
                    drains.add(state == AdminState.ENABLED ? CompletableFuture.completedFuture(true)
                            : s.awaitDrained());
                }
            }
        }
        return drains;
    }

    private void adminChanged(ServerState s, AdminState before, String reason) {
        AdminStateEvent event = new AdminStateEvent(s.virtualService(), s.subService(), s.name(), before, s.admin(),
                reason);
        publish(event, () -> listener.onAdminState(event));
    }

    /**
     * Starts slow start when a server has just become usable, re-evaluates backups and the pool's mode, and tells
     * whether the sorry server took over or let go.
     */
    void afterChange(CompiledSubService sub, ServerState s, boolean wasUsable) {
        if (!wasUsable && s.isUsable()) {
            s.startRamp(ticker.read(), sub.slowStartNanos());
        }
        Pool pool = sub.pool();
        boolean wasSorry = sorryInUse(pool);
        boolean modeChanged = pool.refresh();
        boolean sorry = sorryInUse(pool);
        if (sorry != wasSorry && sub.findSorryServer().isPresent()) {
            SorryServerEvent event = new SorryServerEvent(s.virtualService(), s.subService(),
                    sub.findSorryServer().get().address().toString(), sorry);
            LOG.info("{}/{}: sorry server {} {}", event.virtualService(), event.subService(), event.sorryServer(),
                    sorry ? "in use" : "no longer in use");
            publish(event, () -> listener.onSorryServer(event));
        }
        if (modeChanged) {
            SubServiceStateEvent event = new SubServiceStateEvent(s.virtualService(), s.subService(),
                    StatsSnapshot.stateName(pool.mode()), pool.usableCount(), pool.size());
            LOG.info("{}/{}: sub-service {} ({} of {} servers healthy)", event.virtualService(), event.subService(),
                    event.state(), event.healthyServers(), event.servers());
            publish(event, () -> listener.onSubServiceState(event));
        }
    }

    /**
     * Whether new requests go to the sorry server (if there is one): the pool is down, or no server is usable
     * outside panic mode (panic balances across every enabled server).
     */
    private static boolean sorryInUse(Pool pool) {
        return pool.mode() == Pool.DOWN || pool.mode() == Pool.NORMAL && pool.usableCount() == 0;
    }

    /** Tells the listener, after the change, that {@code current} replaced {@code previous}. */
    void configured(LoadBalancer previous, LoadBalancer current) {
        ConfigurationEvent event = new ConfigurationEvent(previous, current);
        publish(event, () -> listener.onConfiguration(event));
    }

    /** Queues {@code delivery} of {@code event} for after the change; a handler that throws is logged. */
    void publish(Object event, Runnable delivery) {
        control.publish(() -> {
            try {
                delivery.run();
            } catch (RuntimeException e) {
                LOG.warn("engine listener threw on {}; ignored", event, e);
            }
        });
    }
}
