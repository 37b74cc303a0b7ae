package dev.switchboard.engine;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ConnectionView;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Health;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RequestView;
import dev.switchboard.api.event.EngineListener;
import dev.switchboard.api.event.SubServiceStateEvent;
import dev.switchboard.api.spi.HealthSink;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.engine.internal.persist.CoarseTicker;
import dev.switchboard.engine.internal.persist.PersistenceCompiler;
import dev.switchboard.engine.internal.persist.WallClock;
import dev.switchboard.engine.internal.snapshot.CompiledSubService;
import dev.switchboard.engine.internal.snapshot.CompiledVirtualService;
import dev.switchboard.engine.internal.snapshot.Pool;
import dev.switchboard.engine.internal.snapshot.RoutingTable;
import dev.switchboard.engine.internal.snapshot.TableCompiler;
import dev.switchboard.engine.internal.state.ServerState;
import dev.switchboard.engine.internal.trace.Trace;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch engine: decides, per request or connection, where it goes and what changes on the way.
 *
 * <pre>{@code
 * DispatchEngine engine = DispatchEngine.create(loadBalancer);
 * Decision d = engine.dispatch("mail", request);
 * if (d instanceof Decision.Forward f) {
 *     // connect to f.target().address(), send f.path(), apply f.requestEdits() ...
 *     List<HeaderEdit> responseEdits = f.onResponse(responseHead);
 *     f.release(Outcome.ofStatus(200, elapsedNanos));
 * }
 * }</pre>
 *
 * <p>Thread-safety: every method may be called from any thread. {@code dispatch} and {@code explain} read one
 * volatile routing table, take no lock and never block; a dispatch allocates its decision and little else.
 * Control-plane changes ({@link #reconfigure}, admin state, health) run one at a time under an internal lock and
 * never block the request path. Nothing here does I/O; the only thread is a daemon timer for queue timeouts
 * and drain deadlines (yours if you pass one to the builder).
 */
public final class DispatchEngine implements HealthSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchEngine.class);

    private final Object control = new Object();
    private final Ticker ticker;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final TableCompiler compiler;
    private final EngineListener listener;
    private volatile RoutingTable table;

    private DispatchEngine(Builder b) {
        this.ticker = b.ticker;
        this.listener = b.listener;
        this.ownsTimer = b.timer == null;
        this.timer = b.timer != null ? b.timer : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-timer");
            t.setDaemon(true);
            return t;
        });
        WallClock clock = b.tickerSet ? WallClock.following(ticker) : WallClock.system(timer);
        byte[] cookieKey = new byte[16];
        new SecureRandom().nextBytes(cookieKey); // for active cookies of configurations that give no secret
        // persistence stores read their clock on every lookup: a coarse reading refreshed by the timer keeps a
        // hit at about a ConcurrentHashMap.get (System.nanoTime() per lookup tripled it, docs/benchmarks.md)
        Ticker storeTicker = b.tickerSet ? ticker
                : CoarseTicker.start(timer, Duration.ofMillis(250), Ticker.system());
        this.compiler = new TableCompiler(ticker, timer, new PersistenceCompiler(storeTicker, clock, cookieKey));
        this.table = compiler.compile(b.model, RoutingTable.EMPTY);
    }

    /**
     * An engine for {@code model} with the system clock and its own timer thread.
     *
     * @throws dev.switchboard.api.ConfigurationException when a regular expression or custom scheduler is invalid
     */
    public static DispatchEngine create(LoadBalancer model) {
        return builder(model).build();
    }

    /** A builder, to inject a {@link Ticker} or a timer. */
    public static Builder builder(LoadBalancer model) {
        return new Builder(model);
    }

    /**
     * Dispatches one HTTP request to the virtual service named {@code virtualService}: a forward (with its lease),
     * a redirect, an answer (400 for a path that cannot be normalized, 403 deny, 404 no sub-service, 503 nothing
     * eligible or no such virtual service) or a queued future. Never null, never throws for bad request input.
     */
    public Decision dispatch(String virtualService, RequestView request) {
        CompiledVirtualService vs = table.virtualService(virtualService);
        if (vs == null) {
            return unknown(virtualService);
        }
        return vs.dispatch(request, Trace.OFF, false);
    }

    /** Dispatches one layer-4 connection to the default sub-service of {@code virtualService}. */
    public Decision dispatch(String virtualService, ConnectionView connection) {
        CompiledVirtualService vs = table.virtualService(virtualService);
        if (vs == null) {
            return unknown(virtualService);
        }
        return vs.dispatch(connection, Trace.OFF, false);
    }

    /**
     * Runs the way of {@code request} and records every step, without taking a slot or counting it as traffic
     * beyond the request counters.
     */
    public DecisionTrace explain(String virtualService, RequestView request) {
        Trace trace = Trace.recording();
        CompiledVirtualService vs = table.virtualService(virtualService);
        Decision d;
        if (vs == null) {
            trace.step("no virtual service named '" + virtualService + "'");
            d = unknown(virtualService);
        } else {
            d = vs.dispatch(request, trace, true);
        }
        return new DecisionTrace(trace.steps(), d);
    }

    private static Decision unknown(String virtualService) {
        return Decision.Respond.of(503, "no virtual service named '" + virtualService + "'");
    }

    /**
     * Swaps in a new configuration. In-flight leases keep their servers; real servers, sub-services and virtual
     * services that keep their names keep their state (admin state, health, active leases, counters).
     *
     * @throws dev.switchboard.api.ConfigurationException when the model cannot be compiled; the old one stays
     */
    public void reconfigure(LoadBalancer model) {
        Objects.requireNonNull(model, "model");
        synchronized (control) {
            RoutingTable next = compiler.compile(model, table);
            table = next;
            LOG.info("configuration swapped: {} virtual services", next.virtualServices().size());
        }
    }

    /** The model in force. */
    public LoadBalancer model() {
        return table.model();
    }

    /**
     * Sets the admin state of every real server named {@code server}, in every sub-service (maintenance of a host).
     * The future completes with true when all of them have no active leases (at once for
     * {@link AdminState#ENABLED}), or with false when {@code drainDeadline} passes first.
     *
     * @throws IllegalArgumentException when no real server has that name
     */
    public CompletableFuture<Boolean> setAdminState(String server, AdminState state, Duration drainDeadline) {
        return setAdminState(s -> s.name().equals(server), "real server '" + server + "'", state, drainDeadline);
    }

    /**
     * Sets the admin state of one real server in one sub-service; see {@link #setAdminState(String, AdminState,
     * Duration)}.
     *
     * @throws IllegalArgumentException naming what does not exist
     */
    public CompletableFuture<Boolean> setAdminState(String virtualService, String subService, String server,
            AdminState state, Duration drainDeadline) {
        return setAdminState(s -> s.virtualService().equals(virtualService) && s.subService().equals(subService)
                && s.name().equals(server), "real server '" + virtualService + "/" + subService + "/" + server + "'",
                state, drainDeadline);
    }

    private CompletableFuture<Boolean> setAdminState(java.util.function.Predicate<ServerState> which, String what,
            AdminState state, Duration drainDeadline) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(drainDeadline, "drainDeadline");
        List<CompletableFuture<Boolean>> drains = new ArrayList<>();
        synchronized (control) {
            RoutingTable t = table;
            for (CompiledVirtualService vs : t.virtualServices()) {
                for (CompiledSubService sub : vs.subServices()) {
                    for (int i = 0; i < sub.pool().size(); i++) {
                        ServerState s = sub.pool().state(i);
                        if (!which.test(s)) {
                            continue;
                        }
                        boolean wasUsable = s.isUsable();
                        if (s.admin(state)) {
                            LOG.info("{}: admin state {}", s, state.configName());
                        }
                        afterChange(sub, s, wasUsable);
                        drains.add(state == AdminState.ENABLED ? CompletableFuture.completedFuture(true)
                                : s.awaitDrained());
                    }
                }
            }
        }
        if (drains.isEmpty()) {
            throw new IllegalArgumentException(what + " is not in the configuration");
        }
        CompletableFuture<Boolean> all = CompletableFuture.allOf(drains.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> true);
        timer.schedule(() -> all.complete(false), Math.max(0, drainDeadline.toNanos()), TimeUnit.NANOSECONDS);
        return all;
    }

    @Override
    public boolean setHealth(String virtualService, String subService, String server, Health health, String reason) {
        Objects.requireNonNull(health, "health");
        synchronized (control) {
            for (CompiledVirtualService vs : table.virtualServices()) {
                if (!vs.name().equals(virtualService)) {
                    continue;
                }
                for (CompiledSubService sub : vs.subServices()) {
                    if (!sub.name().equals(subService)) {
                        continue;
                    }
                    for (int i = 0; i < sub.pool().size(); i++) {
                        ServerState s = sub.pool().state(i);
                        if (s.name().equals(server)) {
                            boolean wasUsable = s.isUsable();
                            if (s.health(health, reason == null ? "" : reason)) {
                                LOG.info("{}: health {} ({})", s, health.configName(), reason);
                            }
                            afterChange(sub, s, wasUsable);
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** Starts slow start when a server has just become usable, re-evaluates backups and the pool's mode. */
    private void afterChange(CompiledSubService sub, ServerState s, boolean wasUsable) {
        if (!wasUsable && s.isUsable()) {
            s.startRamp(ticker.read(), sub.slowStartNanos());
        }
        Pool pool = sub.pool();
        if (pool.refresh()) {
            SubServiceStateEvent event = new SubServiceStateEvent(s.virtualService(), s.subService(),
                    StatsSnapshot.stateName(pool.mode()), pool.usableCount(), pool.size());
            LOG.info("{}/{}: sub-service {} ({} of {} servers healthy)", event.virtualService(), event.subService(),
                    event.state(), event.healthyServers(), event.servers());
            try {
                listener.onSubServiceState(event);
            } catch (RuntimeException e) {
                LOG.warn("engine listener threw on {}; ignored", event, e);
            }
        }
    }

    /** An immutable snapshot of every counter. */
    public EngineStats stats() {
        return StatsSnapshot.of(table);
    }

    /** Stops the engine's own timer thread (not one passed to the builder). Pending queue timeouts are dropped. */
    @Override
    public void close() {
        if (ownsTimer) {
            timer.shutdownNow();
        }
    }

    /** Builds a {@link DispatchEngine}. Not thread-safe. */
    public static final class Builder {
        private final LoadBalancer model;
        private Ticker ticker = Ticker.system();
        private boolean tickerSet;
        private ScheduledExecutorService timer;
        private EngineListener listener = new EngineListener() { };

        private Builder(LoadBalancer model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /**
         * The clock for slow start and persistence timeouts; {@link Ticker#system()} unless set. A ticker set here
         * also drives the expiry of active cookies (epoch seconds follow it from the engine's start), for tests.
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            this.tickerSet = true;
            return this;
        }

        /** The timer for queue timeouts and drain deadlines; the engine makes a daemon one unless set. */
        public Builder timer(ScheduledExecutorService timer) {
            this.timer = Objects.requireNonNull(timer, "timer");
            return this;
        }

        /** Hears control-plane changes (a sub-service going down, into panic, up again). */
        public Builder listener(EngineListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** @throws dev.switchboard.api.ConfigurationException when the model cannot be compiled */
        public DispatchEngine build() {
            return new DispatchEngine(this);
        }
    }
}
