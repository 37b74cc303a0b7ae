package dev.switchboard.engine;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ConnectionView;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Health;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.OutlierState;
import dev.switchboard.api.RequestView;
import dev.switchboard.api.Target;
import dev.switchboard.api.event.EngineListener;
import dev.switchboard.api.spi.AdminStateChange;
import dev.switchboard.api.spi.Fleet;
import dev.switchboard.api.spi.HealthSink;
import dev.switchboard.api.spi.OutcomeListener;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.engine.auth.AuthenticationRecorder;
import dev.switchboard.engine.auth.SsoRevocations;
import dev.switchboard.engine.internal.auth.AuthenticatedForward;
import dev.switchboard.engine.internal.lease.OutcomeRelay;
import dev.switchboard.engine.internal.persist.CoarseTicker;
import dev.switchboard.engine.internal.persist.PersistenceCompiler;
import dev.switchboard.engine.internal.persist.WallClock;
import dev.switchboard.engine.internal.schedule.SchedulerSettings;
import dev.switchboard.engine.internal.snapshot.CompiledSubService;
import dev.switchboard.engine.internal.snapshot.CompiledVirtualService;
import dev.switchboard.engine.internal.snapshot.RoutingTable;
import dev.switchboard.engine.internal.snapshot.TableCompiler;
import dev.switchboard.engine.internal.snapshot.TablePlan;
import dev.switchboard.engine.internal.state.ServerState;
import dev.switchboard.engine.internal.trace.Trace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
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
 * Control-plane changes ({@link #reconfigure}, admin state, health, outlier state, agent wishes) run one at a time
 * (one writer, under an internal lock the request path never takes) and publish a new table or change the
 * per-server state objects; the {@link EngineListener} hears of them afterwards, in order, outside that lock.
 * Nothing here does I/O; the only thread is a daemon timer for queue timeouts and drain deadlines (yours if you
 * pass one to the builder). Randomness (slow start, random and least-loaded scheduling) comes from the builder's
 * {@link Builder#random random source}.
 *
 * <p>As a {@link HealthSink} the engine combines three inputs per real server per sub-service: the active health
 * verdict, the passive outlier state (an ejected server is out whatever its probes say, and goes back to its active
 * verdict when the ejection ends) and the wishes of its agent (weight percentage, drain, maintenance). Lease outcomes
 * of sub-services with {@link dev.switchboard.api.OutlierDetection} go to the {@link OutcomeListener} set with
 * {@link #setOutcomeListener}.
 */
public final class DispatchEngine implements HealthSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchEngine.class);

    private final ControlPlane control = new ControlPlane();
    private final Ticker ticker;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final TableCompiler compiler;
    private final ServerControls controls;
    private final OutcomeRelay outcomes = new OutcomeRelay();
    private final FleetAdmin fleetAdmin;
    private final LiveStats live = new LiveStats(() -> this.table, control);
    private final EngineAuthenticationRecorder authentication;
    private final SsoRevocations revocations = SsoRevocations.ofDefaults();
    private volatile RoutingTable table;

    private DispatchEngine(Builder b) {
        this.ticker = b.ticker;
        this.controls = new ServerControls(ticker, b.listener, control);
        this.ownsTimer = b.timer == null;
        this.timer = b.timer != null ? b.timer : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-timer");
            t.setDaemon(true);
            return t;
        });
        WallClock clock = b.tickerSet ? WallClock.following(ticker) : WallClock.system(timer);
        this.fleetAdmin = new FleetAdmin(b.fleet, timer, control, controls, () -> table);
        byte[] cookieKey = FleetAdmin.cookieKey(b.fleet); // for active cookies of configurations that give no secret
        // persistence stores read their clock on every lookup: a coarse reading refreshed by the timer keeps a
        // hit at about a ConcurrentHashMap.get (System.nanoTime() per lookup tripled it, docs/benchmarks.md)
        Ticker storeTicker = b.tickerSet ? ticker
                : CoarseTicker.start(timer, Duration.ofMillis(250), Ticker.system());
        PersistenceCompiler persistence = new PersistenceCompiler(storeTicker, clock, cookieKey, b.fleet);
        this.compiler = new TableCompiler(ticker, timer, persistence, outcomes, b.schedulers, revocations);
        this.table = compiler.compile(b.model, RoutingTable.EMPTY).apply();
        this.authentication = new EngineAuthenticationRecorder(() -> table, b.listener);
    }

    /**
     * An engine for {@code model} with the system clock and its own timer thread.
     *
     * @throws dev.switchboard.api.ConfigurationException when a regular expression or custom scheduler is invalid
     */
    public static DispatchEngine create(LoadBalancer model) {
        return builder(model).build();
    }

    /** A builder, to inject a {@link Ticker}, a timer, a listener, a random source or round-robin stripes. */
    public static Builder builder(LoadBalancer model) {
        return new Builder(model);
    }

    /**
     * Dispatches one HTTP request to the virtual service named {@code virtualService}: a forward (with its lease),
     * a redirect, an answer (400 for a path that cannot be normalized, 403 deny, 404 no sub-service, 503 nothing
     * eligible or no such virtual service), a queued future, or, where the sub-service pre-authenticates, a
     * challenge (401, a redirect to the login page) or a {@link Decision.Authenticate} for the host to check.
     * Never null, never throws for bad request input.
     */
    public Decision dispatch(String virtualService, RequestView request) {
        CompiledVirtualService vs = table.virtualService(virtualService);
        if (vs == null) {
            return unknown(virtualService);
        }
        return vs.dispatch(request, Trace.OFF, false);
    }

    /**
     * Dispatches again a request whose credentials the host checked after a {@link Decision.Authenticate} (with
     * {@code PreAuthentication}, dev.switchboard.engine.auth): where its sub-service authenticates, it goes on as
     * {@code user} ({@code X-Authenticated-User}, credentials removed unless {@code passCredentials}); elsewhere it
     * is an ordinary dispatch. The host vouches for {@code user}: pass only what the directory accepted.
     * {@code setCookie} (a {@code Set-Cookie} value, or empty) is added to the forward's response: the SSO cookie of
     * the session the check just opened, so that the client's next requests need no check.
     *
     * @throws IllegalArgumentException when {@code user} is empty or has a control character (it becomes a header)
     */
    public Decision dispatchAuthenticated(String virtualService, RequestView request, String user,
            String setCookie) {
        if (user.isEmpty() || user.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("user: " + (user.isEmpty() ? "empty" : "has a control character")
                    + " (expected: the user the directory accepted, a header value)");
        }
        CompiledVirtualService vs = table.virtualService(virtualService);
        if (vs == null) {
            return unknown(virtualService);
        }
        return AuthenticatedForward.of(vs.dispatch(request, user, Trace.OFF, false), "", setCookie);
    }

    /**
     * Where a host's {@code PreAuthentication} reports logins, failures and lockouts: counted per virtual service
     * in {@link #stats()} and sent to the builder's {@link EngineListener#onAuthentication} (an {@link EventHistory}
     * records them).
     */
    public AuthenticationRecorder authenticationRecorder() {
        return authentication;
    }

    /**
     * The SSO sessions ended by a logout: the engine's cookies refuse them on every virtual service; a host's {@code
     * PreAuthentication} adds to it ({@code PreAuthentication.Builder.revocations}). Survives reconfigurations.
     */
    public SsoRevocations ssoRevocations() {
        return revocations;
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
     * Runs the way of {@code request} and records every step in the order it ran (normalization, redirector,
     * virtual-service rules, content switching, persistence keys, candidates, persistence, the pick or why nothing
     * was picked, the sub-service's request rules, answers), without taking a slot or counting it as traffic beyond
     * the request counters.
     */
    public DecisionTrace explain(String virtualService, RequestView request) {
        return explain(virtualService, (vs, trace) -> vs.dispatch(request, trace, true));
    }

    /**
     * Runs the way of one layer-4 {@code connection} and records every step in the order it ran (sub-service,
     * persistence keys, candidates, persistence, the pick or why nothing was picked), without taking a slot.
     */
    public DecisionTrace explain(String virtualService, ConnectionView connection) {
        return explain(virtualService, (vs, trace) -> vs.dispatch(connection, trace, true));
    }

    private DecisionTrace explain(String virtualService, BiFunction<CompiledVirtualService, Trace, Decision> dryRun) {
        Trace trace = Trace.recording();
        CompiledVirtualService vs = table.virtualService(virtualService);
        Decision d;
        if (vs == null) {
            trace.step("no virtual service named '" + virtualService + "'");
            d = unknown(virtualService);
        } else {
            d = dryRun.apply(vs, trace);
        }
        return new DecisionTrace(trace.steps(), d);
    }

    private static Decision unknown(String virtualService) {
        return Decision.Respond.of(503, "no virtual service named '" + virtualService + "'");
    }

    /**
     * Swaps in a new configuration. In-flight leases keep their servers; real servers, sub-services and virtual
     * services that keep their names keep their state (health, outlier state, active leases, counters, and the
     * admin state, unless the new model changes the server's {@link dev.switchboard.api.RealServer#initialState()}
     * from the one the previous model gave it: that edit is applied). A server that becomes usable through the new
     * model (added to a running pool, weight raised from 0, enabled) ramps up under slow start.
     * Sub-services that keep their names keep their persistence entries and their schedulers' positions (a round
     * robin walks on from where it was rather than starting again at the first server).
     *
     * <p>With a {@link Builder#fleet fleet}, a state set through the fleet is a live state like one set here; the
     * servers the new model adds take the fleet's states ({@link Fleet#reconfigured}).
     *
     * <p>The whole model is compiled and validated before any live state changes: when it fails, nothing was
     * applied (limits, admin states, health, outlier states, counters, positions) and the old configuration stays
     * in force. A model {@linkplain LoadBalancer#equals equal} to the one in force changes nothing: no table is
     * compiled or swapped and no {@link EngineListener#onConfiguration} event is sent. After a swap the listener
     * hears {@link EngineListener#onConfiguration}.
     *
     * @return whether a new table was swapped in (false for a model equal to the one in force)
     * @throws dev.switchboard.api.ConfigurationException when the model cannot be compiled; the old one stays
     */
    public boolean reconfigure(LoadBalancer model) {
        Objects.requireNonNull(model, "model");
        return control.change(() -> {
            RoutingTable current = table;
            if (model.equals(current.model())) {
                LOG.info("configuration unchanged: nothing swapped");
                return false;
            }
            TablePlan plan = compiler.compile(model, current); // throws before any live state is touched
            Map<String, AdminState> configured = fleetAdmin.configured(current);
            RoutingTable next = plan.apply();
            table = next;
            LOG.info("configuration swapped: {} virtual services", next.virtualServices().size());
            controls.configured(current.model(), model);
            live.swapped();
            Runnable tellFleet = fleetAdmin.swapped(current, configured, next);
            if (tellFleet != null) {
                control.publish(tellFleet); // after the listener's event, outside the lock
            }
            return true;
        });
    }

    /** The model in force. */
    public LoadBalancer model() {
        return table.model();
    }

    /**
     * Sets the admin state of every real server named {@code server}, in every sub-service (maintenance of a host).
     * The future completes with true when all of them have no active leases (at once for
     * {@link AdminState#ENABLED}), or with false when {@code drainDeadline} passes first. With a {@link Builder#fleet
     * fleet} the change is also shipped to the other members, and the future completes with true only when the
     * fleet reports the servers drained on every other live member too; a fleet that fails (throws, or its stage
     * completes exceptionally) is logged and makes it false, the state stays applied here.
     *
     * @throws IllegalArgumentException when no real server has that name (nothing is shipped then)
     */
    public CompletableFuture<Boolean> setAdminState(String server, AdminState state, Duration drainDeadline) {
        Objects.requireNonNull(server, "server");
        return fleetAdmin.set(AdminStateChange.host(server, state), drainDeadline);
    }

    /**
     * Sets the admin state of one real server in one sub-service; see {@link #setAdminState(String, AdminState,
     * Duration)}.
     *
     * @throws IllegalArgumentException naming what does not exist
     */
    public CompletableFuture<Boolean> setAdminState(String virtualService, String subService, String server,
            AdminState state, Duration drainDeadline) {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(server, "server");
        return fleetAdmin.set(new AdminStateChange(virtualService, subService, server, state), drainDeadline);
    }

    @Override
    public boolean setHealth(String virtualService, String subService, String server, Health health, String reason) {
        Objects.requireNonNull(health, "health");
        String why = reason == null ? "" : reason;
        return control.change(() -> controls.health(table, virtualService, subService, server, health, why));
    }

    /**
     * Sets the passive state of one real server in one sub-service; an ejection that would take more servers out
     * than the sub-service's {@code maxEjectionPercent} allows (rounded down to whole servers) is refused. The
     * change is logged, sent to {@link EngineListener#onOutlierState}, and shown in stats.
     */
    @Override
    public boolean setOutlierState(String virtualService, String subService, String server, OutlierState state,
            String reason) {
        Objects.requireNonNull(state, "state");
        String why = reason == null ? "" : reason;
        return control.change(() -> controls.outlier(table, virtualService, subService, server, state, why));
    }

    /**
     * Counts a retry: an attempt on {@code target} failed and the host sends the request to another dispatch (its
     * sub-service's {@code retries} in {@link LiveSubService#retries()} and the metrics). Lock-free; a target the
     * model no longer has is not counted.
     */
    public void retried(Target target) {
        for (CompiledSubService sub : table.findVirtualService(target.virtualService())
                .map(CompiledVirtualService::subServices).orElse(List.of())) {
            if (sub.name().equals(target.subService())) {
                sub.counters().retried();
            }
        }
    }

    /** Counts the probe for the server's statistics (probes passed and failed, last latency). */
    @Override
    public boolean probed(String virtualService, String subService, String server, boolean passed,
            long latencyNanos) {
        ServerState s = table.servers().get(virtualService + "/" + subService + "/" + server);
        if (s != null) {
            s.traffic().probed(passed, latencyNanos);
        }
        return s != null;
    }

    /**
     * Applies an agent's wishes. A change of weight percentage recompiles the routing table (schedulers precompute
     * their sequences from the weights); round-robin positions carry over; a repeated wish changes nothing.
     */
    @Override
    public boolean setAgentWishes(String virtualService, String subService, String server, int weightPercent,
            AdminState state, String reason) {
        Objects.requireNonNull(state, "state");
        if (weightPercent < 0 || weightPercent > 100) {
            throw new IllegalArgumentException("weightPercent: " + weightPercent + " (expected: 0..100)");
        }
        String why = reason == null ? "" : reason;
        return control.change(() -> {
            ServerControls.AgentEffect effect = controls.agentWishes(table, virtualService, subService, server,
                    weightPercent, state, why);
            if (effect == ServerControls.AgentEffect.WEIGHT_CHANGED) {
                table = compiler.compile(table.model(), table).apply();
            }
            return effect != ServerControls.AgentEffect.UNKNOWN;
        });
    }

    /**
     * Sets who hears the outcome of every lease released in a sub-service with outlier detection (lb-health's
     * {@code OutlierDetector}); replaces the one before, {@link OutcomeListener#NONE} for none. The listener runs on
     * the releasing thread; an exception it throws is logged and ignored.
     */
    public void setOutcomeListener(OutcomeListener listener) {
        outcomes.listener(listener);
    }

    /** An immutable snapshot of every counter. */
    public EngineStats stats() {
        return StatsSnapshot.of(table);
    }

    /** The live counters for metrics libraries (views read on demand, recorders, a signal after each swap). */
    public LiveStats liveStats() {
        return live;
    }

    /**
     * Stops the engine's own timer thread (not one passed to the builder). Pending queue timeouts are dropped. The
     * fleet's changes no longer apply here (its sink counts this engine as drained).
     */
    @Override
    public void close() {
        fleetAdmin.close();
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
        private SchedulerSettings schedulers = SchedulerSettings.ofDefaults();
        private Fleet fleet = Fleet.NONE;

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

        /**
         * The source of the engine's random draws: the slow-start admission of a ramping server, random and
         * least-loaded scheduling, weighted round robin's fallback, the spread of requests from unknown clients
         * under source-IP hashing. The default draws from each calling thread's {@code ThreadLocalRandom}. The
         * engine calls it from every dispatching thread without synchronization: for concurrent use give a
         * thread-safe generator; a seeded {@code new SplittableRandom(seed)} makes a test that dispatches from one
         * thread repeat exactly.
         */
        public Builder random(RandomGenerator random) {
            this.schedulers = new SchedulerSettings(Objects.requireNonNull(random, "random"), schedulers.stripes());
            return this;
        }

        /**
         * How many stripes each round-robin position has (round robin, weighted round robin, and the tie-breaking
         * of least connection): a thread walks stripe {@code threadId & (stripes - 1)}, so threads picking from
         * one pool do not fight over one counter. The default is four per processor (8..128). With 1 every thread
         * walks one shared position: exact round-robin order across threads (two threads picking at the same
         * instant may both take the same server once), and the same order in every run whatever thread
         * dispatches, for tests and simulations.
         *
         * @throws IllegalArgumentException when {@code stripes} is not a power of two in 1..128
         */
        public Builder stripes(int stripes) {
            this.schedulers = new SchedulerSettings(schedulers.random(), stripes);
            return this;
        }

        /**
         * The fleet this engine is a member of ({@code ClusterMember.fleet()}): it supplies the tables of
         * persistences that name no store and the key of active cookies without {@code cookieSecret}, and shares
         * admin states ({@link #build} attaches the engine; {@code setAdminState} ships). Default: {@link Fleet#NONE}.
         */
        public Builder fleet(Fleet fleet) {
            this.fleet = Objects.requireNonNull(fleet, "fleet");
            return this;
        }

        /**
         * @throws dev.switchboard.api.ConfigurationException when the model cannot be compiled
         * @throws IllegalArgumentException when the fleet's cookie key is not 16 bytes
         */
        public DispatchEngine build() {
            DispatchEngine engine = new DispatchEngine(this);
            engine.fleetAdmin.attach();
            return engine;
        }
    }
}
