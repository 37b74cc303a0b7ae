package dev.switchboard.health;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.spi.HealthSink;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.health.internal.CustomProbe;
import dev.switchboard.health.internal.GrpcProbe;
import dev.switchboard.health.internal.HealthLoop;
import dev.switchboard.health.internal.HttpProbe;
import dev.switchboard.health.internal.Jitter;
import dev.switchboard.health.internal.OutcomeBatch;
import dev.switchboard.health.internal.Probe;
import dev.switchboard.health.internal.ProbeGroup;
import dev.switchboard.health.internal.ProbeOutcome;
import dev.switchboard.health.internal.TcpProbe;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs active health checks and reports verdicts to a {@link HealthSink} (the engine) and to
 * {@link HealthListener}s. Everything runs on one thread ({@code switchboard-health}, a selector loop) that
 * schedules the probes, runs TCP and plain-HTTP probes (non-blocking NIO connects and, for HTTP, one request and its
 * answer), times them out and applies every outcome, so that state changes are serialized without locks and no
 * thread hands work to another on the common path. HTTPS probes are asynchronous OkHttp calls and custom checks run
 * on a thread of their own, each bounded by the check's timeout; their outcomes are applied on the loop in batches,
 * 10 ms after the first of a batch arrived. A plain-HTTP check keeps its connection for the next probe unless
 * {@link HealthCheck.Builder#reuseConnection(boolean)} says otherwise, and the connection is closed when the check's
 * last target is removed or the checker is closed. Probes are due on 10 ms boundaries, so that those due within the
 * same 10 ms run in one round of the loop: with 1,000 probes a second the thread wakes about a hundred times a second
 * to start them. Targets with the same probed address and an equal {@link HealthCheck} share one probe, whose verdict
 * fans out to each (virtual service, sub-service, server). The first probe of an endpoint runs after a random delay
 * within one interval, and each later one after the interval (the fast interval while the verdict is changing) plus
 * or minus the check's {@link HealthCheck#jitter() jitter} (rounded up to the 10 ms boundary), so that no herd forms
 * at start. Agent checks also report
 * each new answer to {@link HealthListener#onAgentReport}, and send the wishes in force (weight percentage, drain,
 * maintenance) to the sink's {@link HealthSink#setAgentWishes} for every target of the endpoint; removing a target
 * withdraws them (100 %, enabled — which the engine applies only to what the agent had changed).
 *
 * <pre>{@code
 * try (HealthChecker checker = HealthChecker.builder(engine).listener(myListener).build()) {
 *     checker.apply(lb);    // every real server of every sub-service with a health check in the model
 *     ...
 *     engine.reconfigure(next);
 *     checker.apply(next);  // adds new targets, removes gone ones, keeps unchanged ones with their state
 * }
 * }</pre>
 *
 * <p><b>PROXY protocol.</b> A target whose traffic opens with a PROXY protocol header
 * ({@link HealthTarget#proxyProtocol()}: the real server's or sub-service's {@code proxyProtocol}) is probed the
 * same way, so that a server that requires the header ({@code accept-proxy}, {@code listen ... proxy_protocol})
 * does not reject every probe: each new probe connection to the server's own address opens with the header
 * (version 1: the probe connection's own addresses and ports; version 2: the {@code LOCAL} command, as HAProxy's
 * checks do), before the HTTP request, the TLS handshake of an HTTPS probe, or the agent's line; a kept plain-HTTP
 * connection sends it once. A probe to another port (a check {@code port}) sends none
 * ({@link HealthTarget#probedProxyProtocol()}). A TCP check with the header closes its connection with a FIN
 * rather than a reset, so that the header is not lost to the reset.
 *
 * <p>{@link #apply(LoadBalancer)} follows the model; {@link #add} and {@link #remove} manage single targets (for a
 * host with checks of its own), and the next {@code apply} makes the set exactly the model's again.
 *
 * <p>On {@link #add} the sink is told the check's initial state at once ("not checked yet"), then the verdict of the
 * first probe, then every change. Transitions are logged at INFO with the reason. A sink or listener that throws is
 * logged at WARN and ignored. Thread-safe: {@link #add} and {@link #remove} may be called from any thread and take
 * effect on the loop thread shortly after.
 */
public final class HealthChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);
    private static final String THREAD_NAME = "switchboard-health";
    /** Probes are due on 10 ms boundaries, so that those due within the same 10 ms run in one round of the loop. */
    private static final long SLOT_NANOS = 10_000_000L;

    private final Verdicts verdicts;
    private final Clock clock;
    private final Ticker ticker;
    private final SplittableRandom random;
    private final HealthLoop loop;
    private final HttpProbe httpProbe;
    private final Probe grpcProbe;
    private final Probe tcpProbe;
    private final Probe customProbe;
    private final TargetTracker targets;
    /**
     * Applies a probe's outcome: at once on the loop thread (TCP and plain-HTTP probes), else (HTTPS and custom
     * checks) in batches, 10 ms after the first of the batch arrived; 10 ms is nothing next to a check's interval.
     */
    private final OutcomeBatch<ProbeGroup<HealthTarget>> outcomes;

    private HealthChecker(Builder b) {
        this.verdicts = new Verdicts(b.sink, b.listeners);
        this.clock = b.clock;
        this.ticker = b.ticker;
        this.random = new SplittableRandom(b.seed);
        this.loop = new HealthLoop(THREAD_NAME, b.ticker);
        this.httpProbe = new HttpProbe();
        this.grpcProbe = new GrpcProbe(httpProbe);
        this.tcpProbe = new TcpProbe(loop);
        this.customProbe = new CustomProbe(loop);
        this.targets = new TargetTracker(verdicts, this::start,
                group -> tcpProbe.release(group.address(), group.check(), group.proxyProtocol())); // kept HTTP
        this.outcomes = new OutcomeBatch<>(loop, SLOT_NANOS, this::onResult);
    }

    /** A builder reporting to {@code sink}. */
    public static Builder builder(HealthSink sink) {
        return new Builder(sink);
    }

    /**
     * Makes the checked targets exactly those of {@code lb} ({@link HealthTargets#of(LoadBalancer)}: one per real
     * server of every sub-service with a health check): a target that is not checked yet is added, one that is no
     * longer in the model is removed (its probing stops), and one whose address and check are unchanged is left as
     * it is, keeping its verdict, its rise/fall streak and its probe schedule (nothing is reported for it). A target
     * whose check changed gets a new probe that starts in the target's current verdict (in place of the check's
     * initial state), so that editing a check does not take healthy servers out until it has probed them: its first
     * probe decides, as for a new target. A target whose address changed starts afresh, as on {@link #add}. Call it
     * after the engine accepted the same model, so that the verdicts land on servers the engine knows.
     *
     * @return completes once the change has taken effect on the checker's thread (exceptionally, with a
     *     {@link RejectedExecutionException}, when the checker is closed)
     * @throws ConfigurationException when a check's body pattern is not RE2J or its CA file cannot be read (listed
     *     with their paths); then nothing changes
     */
    public CompletionStage<Void> apply(LoadBalancer lb) {
        Set<HealthTarget> next = HealthTargets.of(Objects.requireNonNull(lb, "lb"));
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    targets.apply(next);
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Starts checking a target; replaces a target with the same virtual service, sub-service and server. */
    public void add(HealthTarget target) {
        Objects.requireNonNull(target, "target");
        submit(() -> targets.add(target));
    }

    /** Stops checking the target with this target's virtual service, sub-service and server, if any. */
    public void remove(HealthTarget target) {
        Objects.requireNonNull(target, "target");
        submit(() -> targets.remove(target));
    }

    /** The current verdict of a target, once its {@link #add} has taken effect. */
    public Optional<Health> findHealth(String virtualService, String subService, String server) {
        return targets.findGroup(virtualService, subService, server).map(ProbeGroup::health);
    }

    /**
     * The last probe of a target: when it ended, its latency, the HTTP status (0 where none), success and reason.
     * Empty until the target's endpoint has been probed once (or when no such target is checked). Targets that share
     * a probe share its result.
     */
    public Optional<ProbeResult> findLastProbe(String virtualService, String subService, String server) {
        return targets.findGroup(virtualService, subService, server).flatMap(ProbeGroup::findLastProbe)
                .map(ProbeResult::of);
    }

    /**
     * When the next probe of a target's endpoint is due, on the builder's {@link Builder#ticker ticker}; empty when
     * none is waiting (no such target, or its probe is running). For tests that move time by hand.
     */
    CompletionStage<OptionalLong> findNextProbeDue(String virtualService, String subService, String server) {
        CompletableFuture<OptionalLong> due = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                HealthLoop.Timer next = targets.findGroup(virtualService, subService, server).map(ProbeGroup::next)
                        .orElse(null);
                due.complete(next == null || !next.queued() ? OptionalLong.empty() : OptionalLong.of(next.due()));
            });
        } catch (RejectedExecutionException e) {
            due.completeExceptionally(e);
        }
        return due;
    }

    /**
     * Stops every probe and the loop; waits up to one second for a running state change to finish, so that
     * no sink or listener call happens after this returns. Idempotent.
     */
    @Override
    public void close() {
        loop.close();
        grpcProbe.close();
        httpProbe.close();
        tcpProbe.close();
        customProbe.close();
        try {
            loop.awaitTermination(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("health checker closed, task dropped");
        }
    }

    /** Starts probing a new group: its first probe runs after a random delay within one interval. */
    private void start(ProbeGroup<HealthTarget> group) {
        group.next(new HealthLoop.Timer() {
            @Override
            protected void fire(long now) {
                run(group);
            }
        });
        schedule(group, random.nextLong(group.check().interval().toNanos()));
    }

    /** Runs the group's next probe after {@code delayNanos}, rounded up to the next 10 ms boundary. */
    private void schedule(ProbeGroup<HealthTarget> group, long delayNanos) {
        if (group.closed()) {
            return;
        }
        long due = ticker.read() + delayNanos;
        try {
            loop.scheduleAt(group.next(), Math.floorDiv(due + SLOT_NANOS - 1, SLOT_NANOS) * SLOT_NANOS);
        } catch (RejectedExecutionException e) {
            log.debug("health checker closed, {} not rescheduled", group.address());
        }
    }

    private void run(ProbeGroup<HealthTarget> group) {
        if (group.closed()) {
            return;
        }
        HealthCheck.Type type = group.check().type();
        // plain HTTP runs on the TCP probe's selector loop; HTTPS and gRPC on OkHttp
        Probe probe = type == HealthCheck.Type.HTTPS ? httpProbe : type.grpc() ? grpcProbe
                : type == HealthCheck.Type.CUSTOM ? customProbe : tcpProbe;
        try {
            probe.probe(group.address(), group.check(), group.proxyProtocol(), r -> outcomes.deliver(group, r));
        } catch (RuntimeException e) {
            onResult(group, ProbeOutcome.failed("probe error: " + e, 0));
        }
    }

    private void onResult(ProbeGroup<HealthTarget> group, ProbeOutcome result) {
        if (group.closed()) {
            return;
        }
        try {
            group.lastProbe(clock.instant(), result);
            if (result.agentAnswer().isPresent() && group.agentAnswer(result.agentAnswer().get())) {
                boolean wishesChanged = group.wishes(result.agentAnswer().get());
                AgentReport a = AgentReport.of(result.agentAnswer().get());
                for (HealthTarget t : group.targets()) {
                    if (wishesChanged) {
                        verdicts.wishes(t, group.wishedWeight(), group.wishedState(), a.reason());
                    }
                    verdicts.agentReport(t, a);
                }
            }
            verdicts.probed(group.targets(), result.success(), result.latencyNanos());
            ProbeGroup.Recorded r = group.record(result);
            if (!verdicts.recorded(group.targets(), r, result.reason()) && log.isDebugEnabled()) {
                log.debug("health {} {}: {} ({} ms)", group.address(), r.to(), result.reason(),
                        result.latencyNanos() / 1_000_000);
            }
        } catch (RuntimeException e) {
            log.warn("health {}: result {} not applied", group.address(), result, e);
        } finally {
            schedule(group, nextDelay(group));
        }
    }

    private long nextDelay(ProbeGroup<HealthTarget> group) {
        HealthCheck check = group.check();
        long interval = (group.changing() ? check.fastInterval() : check.interval()).toNanos();
        return Jitter.delay(interval, check.jitter(), random);
    }

    /** Builds a {@link HealthChecker}. Not thread-safe. */
    public static final class Builder {
        private final HealthSink sink;
        private final List<HealthListener> listeners = new ArrayList<>();
        private long seed = System.nanoTime();
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.system();

        private Builder(HealthSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** Adds a listener for transitions. */
        public Builder listener(HealthListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The clock that stamps {@link ProbeResult#time()}; {@link Clock#systemUTC()} unless set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The time source of the probes' schedule, of the plain-HTTP, TCP and custom checks' timeouts and of the
         * 10 ms batching of HTTPS and custom-check outcomes (each probe's latency is measured on the system's clock);
         * {@link Ticker#system()} unless set. Tests that move time by hand set theirs: the checker then probes, times
         * out and applies those batches only as that ticker advances.
         *
         * <pre>{@code
         * AtomicLong now = new AtomicLong();
         * HealthChecker checker = HealthChecker.builder(sink).ticker(now::get).seed(1).build();
         * }</pre>
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The seed of the jitter (for reproducible tests); random by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public HealthChecker build() {
            return new HealthChecker(this);
        }
    }
}
