package dev.switchboard.engine;

import dev.switchboard.api.spi.AdminStateChange;
import dev.switchboard.api.spi.AdminStateSink;
import dev.switchboard.api.spi.Fleet;
import dev.switchboard.engine.internal.snapshot.CompiledSubService;
import dev.switchboard.engine.internal.snapshot.CompiledVirtualService;
import dev.switchboard.engine.internal.snapshot.RoutingTable;
import dev.switchboard.engine.internal.state.ServerState;
import dev.switchboard.api.AdminState;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's admin states: applies an operator's change here (through the control plane) and ships it to the
 * {@link Fleet}, joining the fleet's drain stage with the local drain; hands the fleet a sink that applies the other
 * members' changes here without shipping them back, and, after a reconfiguration that adds servers, a sink for
 * those alone ({@link Fleet#reconfigured}). The fleet is a plug-in: what it throws, or a stage that fails, is logged
 * and counts as "not drained" (false), never thrown into the engine. With {@link Fleet#NONE} the local future is
 * returned as it is. Thread-safe.
 */
final class FleetAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(FleetAdmin.class);

    private final Fleet fleet;
    private final ScheduledExecutorService timer;
    private final ControlPlane control;
    private final ServerControls controls;
    private final Supplier<RoutingTable> table;
    private volatile boolean closed;

    /** @param table reads the engine's table in force */
    FleetAdmin(Fleet fleet, ScheduledExecutorService timer, ControlPlane control, ServerControls controls,
            Supplier<RoutingTable> table) {
        this.fleet = fleet;
        this.timer = timer;
        this.control = control;
        this.controls = controls;
        this.table = table;
    }

    /**
     * An operator's change: applied here, then shipped ({@link #shipped}).
     *
     * @throws IllegalArgumentException when no server matches (nothing is shipped then)
     */
    CompletableFuture<Boolean> set(AdminStateChange change, Duration drainDeadline) {
        return shipped(change, drainDeadline, apply(change, drainDeadline, s -> true));
    }

    /**
     * Applies {@code change} here only, to the servers it names among those {@code among} accepts: true when they
     * have no active leases, false when {@code drainDeadline} passes first.
     *
     * @throws IllegalArgumentException when no server matches
     */
    private CompletableFuture<Boolean> apply(AdminStateChange change, Duration drainDeadline,
            Predicate<ServerState> among) {
        Objects.requireNonNull(drainDeadline, "drainDeadline");
        List<CompletableFuture<Boolean>> drains = control.change(
                () -> controls.admin(table.get(), which(change).and(among), change.state()));
        if (drains.isEmpty()) {
            throw new IllegalArgumentException(describe(change) + " is not in the configuration");
        }
        CompletableFuture<Boolean> all = CompletableFuture.allOf(drains.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> true);
        timer.schedule(() -> all.complete(false), Math.max(0, drainDeadline.toNanos()), TimeUnit.NANOSECONDS);
        return all;
    }

    /**
     * The fleet's active-cookie key, or a random one when it has none.
     *
     * @throws IllegalArgumentException when the fleet's key is not 16 bytes
     */
    static byte[] cookieKey(Fleet fleet) {
        byte[] shared = fleet.cookieKey();
        if (shared != null) {
            if (shared.length != 16) {
                throw new IllegalArgumentException("fleet cookie key: 16 bytes expected, got " + shared.length);
            }
            return shared.clone();
        }
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** The servers {@code change} names. */
    static Predicate<ServerState> which(AdminStateChange change) {
        String server = change.server();
        if (change.everySubService()) {
            return s -> s.name().equals(server);
        }
        return s -> s.virtualService().equals(change.virtualService()) && s.subService().equals(change.subService())
                && s.name().equals(server);
    }

    /** How error messages name what {@code change} names: {@code real server 'mail/owa/ex01'}. */
    static String describe(AdminStateChange change) {
        return "real server '" + (change.everySubService() ? change.server()
                : change.virtualService() + "/" + change.subService() + "/" + change.server()) + "'";
    }

    /** Whether {@code table} has a server {@code change} names among those {@code among} accepts. */
    static boolean has(RoutingTable table, AdminStateChange change, Predicate<ServerState> among) {
        Predicate<ServerState> which = which(change).and(among);
        for (CompiledVirtualService vs : table.virtualServices()) {
            for (CompiledSubService sub : vs.subServices()) {
                for (int i = 0; i < sub.pool().size(); i++) {
                    if (which.test(sub.pool().state(i))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Gives the fleet its sink, once. */
    void attach() {
        if (fleet == Fleet.NONE) {
            return;
        }
        try {
            fleet.attach(sink(s -> true));
        } catch (RuntimeException e) {
            LOG.warn("fleet: attach failed, admin states set on other members will not apply here: {}", e.toString());
        }
    }

    /**
     * The configured admin states of {@code table}'s servers, read inside a reconfiguration before its plan is
     * applied, for {@link #swapped} (empty on an island).
     */
    Map<String, AdminState> configured(RoutingTable table) {
        if (fleet == Fleet.NONE) {
            return Map.of();
        }
        Map<String, AdminState> states = new HashMap<>();
        table.servers().forEach((key, s) -> states.put(key, s.config().initialState()));
        return states;
    }

    /**
     * Inside a reconfiguration, after the swap from {@code previous} (whose configured states were {@code before})
     * to {@code next}: logs the kept servers whose {@code state} the new configuration edits (it applies on this
     * member only, the fleet is not told), and returns what tells the fleet of the servers {@code next} added, to run
     * after the change (outside the engine's lock); null when there is nothing to tell.
     */
    Runnable swapped(RoutingTable previous, Map<String, AdminState> before, RoutingTable next) {
        if (fleet == Fleet.NONE) {
            return null;
        }
        Set<ServerState> added = Collections.newSetFromMap(new IdentityHashMap<>());
        next.servers().forEach((key, s) -> {
            ServerState old = previous.servers().get(key);
            if (old != s) {
                added.add(s);
            } else if (before.get(key) != s.config().initialState()) {
                LOG.info("fleet: the configuration sets {} to {} on this member only; the fleet's state is unchanged",
                        s, s.config().initialState().configName());
            }
        });
        if (added.isEmpty()) {
            return null;
        }
        AdminStateSink sink = sink(added::contains);
        return () -> {
            try {
                fleet.reconfigured(sink);
            } catch (RuntimeException e) {
                LOG.warn("fleet: reconfigured failed, the fleet's states may not apply to the added servers: {}",
                        e.toString());
            }
        };
    }

    /** A sink that applies (and concerns) the servers {@code among} accepts, nothing once the engine closed. */
    private AdminStateSink sink(Predicate<ServerState> among) {
        return new AdminStateSink() {
            @Override
            public CompletionStage<Boolean> apply(AdminStateChange change, Duration drainDeadline) {
                if (closed) {
                    return CompletableFuture.completedFuture(false);
                }
                try {
                    return FleetAdmin.this.apply(change, drainDeadline, among);
                } catch (IllegalArgumentException e) {
                    LOG.info("fleet: {} set to {} on another member is not in this configuration; ignored",
                            describe(change), change.state().configName());
                } catch (RuntimeException e) {
                    LOG.warn("fleet: could not apply {} {}: {}", describe(change), change.state().configName(),
                            e.toString());
                }
                return CompletableFuture.completedFuture(false);
            }

            @Override
            public boolean concerns(AdminStateChange change) {
                return !closed && has(table.get(), change, among); // a closed engine sends nothing anywhere
            }
        };
    }

    /** The engine closed: the sink concerns no server any more and applies nothing. */
    void close() {
        closed = true;
    }

    /**
     * The future of an operator's change: {@code local} alone on an island; otherwise true once {@code local} and the
     * fleet's stage are both true, false as soon as either is false, or when {@code drainDeadline} passes.
     */
    CompletableFuture<Boolean> shipped(AdminStateChange change, Duration drainDeadline,
            CompletableFuture<Boolean> local) {
        if (fleet == Fleet.NONE) {
            return local;
        }
        CompletableFuture<Boolean> remote = new CompletableFuture<>();
        try {
            CompletionStage<Boolean> stage = fleet.adminStateSet(change, drainDeadline);
            if (stage == null) {
                throw new IllegalStateException("the fleet returned no stage");
            }
            stage.whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warn("fleet: shipping {} {} failed: {}", describe(change), change.state().configName(),
                            e.toString());
                }
                remote.complete(e == null && Boolean.TRUE.equals(ok));
            });
        } catch (RuntimeException e) {
            LOG.warn("fleet: could not ship {} {}: {}", describe(change), change.state().configName(), e.toString());
            remote.complete(false);
        }
        CompletableFuture<Boolean> both = local.thenCombine(remote, (a, b) -> a && b);
        local.thenAccept(ok -> falseAtOnce(both, ok));
        remote.thenAccept(ok -> falseAtOnce(both, ok));
        timer.schedule(() -> both.complete(false), Math.max(0, drainDeadline.toNanos()), TimeUnit.NANOSECONDS);
        return both;
    }

    private static void falseAtOnce(CompletableFuture<Boolean> both, boolean ok) {
        if (!ok) {
            both.complete(false);
        }
    }
}
