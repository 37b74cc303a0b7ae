package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.RequestView;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.Target;
import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.engine.internal.lease.Affinity;
import dev.switchboard.engine.internal.lease.EngineForward;
import dev.switchboard.engine.internal.lease.OutcomeRelay;
import dev.switchboard.engine.internal.lease.WaitQueue;
import dev.switchboard.engine.internal.lease.Waiter;
import dev.switchboard.engine.internal.persist.CompiledPersistence;
import dev.switchboard.engine.internal.persist.Keys;
import dev.switchboard.engine.internal.rewrite.CompiledHeaderRule;
import dev.switchboard.engine.internal.schedule.Schedulers;
import dev.switchboard.engine.internal.state.ServerState;
import dev.switchboard.engine.internal.state.ServiceCounters;
import dev.switchboard.engine.internal.trace.Trace;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sub-service of a compiled routing table: its pool, scheduler, rules, sorry server and wait queue. In two
 * parts, so that its request rules can run between them (step 9): {@link #choose} finds the persistent server or
 * picks one and takes its slot (or says why none); {@link #complete} records persistence and hands out the lease,
 * or queues when every usable server is at its limit, or answers with the sorry server or 503. Thread-safe.
 */
public final class CompiledSubService implements EngineForward.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledSubService.class);
    private static final int PICK_ATTEMPTS = 4;
    private static final int RETRY_AFTER_SECONDS = 5;

    /** {@link #choose}: every usable server is at its limit and the sub-service has a queue. */
    static final long WAIT = -1;
    /** {@link #choose}: nothing is eligible (sorry server, else 503). */
    static final long UNAVAILABLE = -2;
    /** {@link #choose}: the sub-service is down (too few healthy servers; sorry server, else 503). */
    static final long DOWN = -3;

    private final String virtualService;
    private final String name;
    private final Pool pool;
    private final Scheduler scheduler;
    private final String schedulerName;
    private final boolean needsHash;
    private final boolean builtIn;
    private final Target[] targets;
    private final Target sorry;
    private final CompiledHeaderRule[] requestRules;
    private final CompiledHeaderRule[] responseRules;
    private final boolean responseConditional;
    private final WaitQueue queue;
    private final int queueCapacity;
    private final long queueTimeoutNanos;
    private final ServiceCounters counters;
    private final ScheduledExecutorService timer;
    private final long slowStartNanos;
    private final PersistentPick persistence;
    private final AtomicBoolean schedulerFailureLogged = new AtomicBoolean();
    private final OutcomeRelay outcomes;
    private final boolean detecting;
    private final OutlierDetection detection;
    private final RandomGenerator random;

    CompiledSubService(Parts p) {
        this.virtualService = p.virtualService;
        this.name = p.name;
        this.pool = p.pool;
        this.scheduler = p.scheduler;
        this.schedulerName = p.schedulerName;
        this.needsHash = p.needsHash;
        this.builtIn = p.builtIn;
        this.targets = p.targets;
        this.sorry = p.sorry;
        this.requestRules = p.requestRules;
        this.responseRules = p.responseRules;
        boolean conditional = false;
        for (CompiledHeaderRule r : responseRules) {
            conditional |= r.isConditional();
        }
        this.responseConditional = conditional;
        this.queue = p.queue;
        this.queueCapacity = p.queueCapacity;
        this.queueTimeoutNanos = p.queueTimeoutNanos;
        this.counters = p.counters;
        this.timer = p.timer;
        this.slowStartNanos = p.slowStartNanos;
        this.persistence = new PersistentPick(p.persistence, p.pool, p.hashScheduler);
        this.outcomes = p.outcomes;
        this.detecting = p.detecting;
        this.detection = p.detection;
        this.random = p.random;
    }

    /** Constructor arguments, filled in by the compiler. */
    static final class Parts {
        String virtualService;
        String name;
        Pool pool;
        Scheduler scheduler;
        String schedulerName;
        boolean needsHash;
        boolean builtIn;
        Target[] targets;
        Target sorry;
        CompiledHeaderRule[] requestRules;
        CompiledHeaderRule[] responseRules;
        int queueCapacity;
        WaitQueue queue;
        long queueTimeoutNanos;
        ServiceCounters counters;
        ScheduledExecutorService timer;
        long slowStartNanos;
        CompiledPersistence persistence = CompiledPersistence.NONE;
        Scheduler hashScheduler;
        OutcomeRelay outcomes = new OutcomeRelay();
        boolean detecting;
        OutlierDetection detection = OutlierDetection.ofDefaults();
        RandomGenerator random = Schedulers.perThreadRandom();
    }

    /** The scheduler, for the next compilation of this sub-service to take its positions over. */
    Scheduler scheduler() {
        return scheduler;
    }

    /** Whether passive outlier detection is configured here. */
    public boolean detecting() {
        return detecting;
    }

    /** The outlier detection configured here (the defaults when {@link #detecting()} is false). */
    public OutlierDetection detection() {
        return detection;
    }

    public String name() {
        return name;
    }

    public Pool pool() {
        return pool;
    }

    public ServiceCounters counters() {
        return counters;
    }

    /** How long a server that becomes eligible ramps up, in nanoseconds; 0 for no slow start. */
    public long slowStartNanos() {
        return slowStartNanos;
    }

    /** This sub-service's persistence. */
    public CompiledPersistence persistence() {
        return persistence.persistence();
    }

    public WaitQueue queue() {
        return queue;
    }

    CompiledHeaderRule[] requestRules() {
        return requestRules;
    }


    /**
     * The scheduler's hash of {@code client}: 0 when the scheduler needs none, a random value (from the engine's
     * random source) for an unknown client (null), so that such requests are spread rather than all pinned to one
     * server.
     */
    long clientHash(InetAddress client) {
        if (!needsHash) {
            return 0L;
        }
        return client == null ? random.nextLong() : CompiledVirtualService.hashOf(client);
    }

    /**
     * Which response rules apply to this request: bit i for rule i (rules from 64 on always apply).
     *
     * @param client the client address behind trusted proxies, or null when it could not be resolved
     */
    long responseMask(RequestView request, String path, String host, InetAddress client, Trace trace) {
        if (!responseConditional) {
            return -1L;
        }
        long mask = -1L;
        for (int i = 0; i < Math.min(64, responseRules.length); i++) {
            if (!responseRules[i].applies(request, path, host, client, trace)) {
                mask &= ~(1L << i);
            }
        }
        return mask;
    }

    /**
     * Steps 6 to 8 of the way of a request: the persistent server, else a pick; the server's slot is taken (not in
     * a dry run). The persistence arguments come from {@link CompiledPersistence} ({@code 0} / {@code Keys.NO_KEY}
     * when absent). Nothing here reads the request: the keys and {@code hash} were computed from it before.
     *
     * @return {@code (source << 32) | index} of the chosen server (source: how persistence found it, 0 when
     *         scheduled), or {@link #WAIT}, {@link #UNAVAILABLE} or {@link #DOWN}; hand it to {@link #complete}
     */
    long choose(long cookie, long primaryKey, long fallbackKey, long hash, Trace trace, boolean dryRun) {
        if (trace.enabled()) {
            Candidates.trace(trace, name, schedulerName, pool, targets);
        }
        if (pool.mode() == Pool.DOWN) {
            traceUnavailable(DOWN, trace, dryRun);
            return DOWN;
        }
        if (persistence.persistence().enabled()) {
            long found = persistence.find(cookie, primaryKey, fallbackKey, trace, dryRun);
            if (found >= 0) {
                return found;
            }
        }
        int i = acquire(primaryKey, fallbackKey, hash, dryRun);
        if (i >= 0) {
            if (trace.enabled()) {
                trace.step("picked " + pool.state(i).name() + " (" + targets[i].address() + ")");
            }
            return i;
        }
        long code = queueCapacity > 0 && pool.anyUsable() && !anyAcceptsNew() ? WAIT : UNAVAILABLE;
        traceUnavailable(code, trace, dryRun);
        return code;
    }

    /** Whether {@code chosen} ends in a forward (to a real server, after a wait, or to the sorry server). */
    boolean forwards(long chosen) {
        return chosen >= 0 || chosen == WAIT || sorry != null;
    }

    /**
     * Returns the slot {@link #choose} took (not in a dry run) for a request the engine answers itself after all:
     * a deny among the sub-service's request rules. Nothing is recorded for persistence.
     */
    void giveBack(long chosen) {
        if (chosen < 0) {
            return;
        }
        pool.state((int) chosen).giveBack();
        if (!queue.isEmpty()) {
            drainQueue(); // the slot may be the one a waiter needs
        }
    }

    /**
     * The decision for what {@link #choose} answered, with the request as the sub-service's rules left it: a
     * forward with its lease (persistence records where the client went), a wait in the queue, the sorry server,
     * or 503. {@code cookies} is the request's Cookie header when the sub-service inserts the active cookie.
     */
    Decision complete(long chosen, String path, String query, String host, List<HeaderEdit> edits, long mask,
            long hash, long cookie, long primaryKey, long fallbackKey, int flags, String cookies, boolean dryRun) {
        if (chosen >= 0) {
            int i = (int) chosen;
            if (persistence.persistence().enabled() && !dryRun) {
                flags = persistence.record(i, (int) (chosen >>> 32), cookie, primaryKey, fallbackKey, flags);
            }
            return EngineForward.of(targets[i], path, query, host, edits, this, dryRun ? EngineForward.NO_SLOT : i,
                    mask, flags, primaryKey, fallbackKey, cookies);
        }
        if (chosen == WAIT) {
            if (dryRun) {
                return new Decision.Queued(CompletableFuture.completedFuture(Decision.Respond.unavailable(
                        "explain only: the request would wait for a connection slot", RETRY_AFTER_SECONDS)));
            }
            return enqueue(new Waiter(path, query, host, edits, mask, hash,
                    new Affinity(cookie, primaryKey, fallbackKey, flags, cookies)));
        }
        if (sorry != null) {
            if (!dryRun) {
                counters.sorry();
            }
            return new EngineForward(sorry, path, query, host, edits, this, EngineForward.NO_SLOT, mask, 0,
                    Keys.NO_KEY, Keys.NO_KEY);
        }
        if (!dryRun) {
            counters.rejected();
        }
        return Decision.Respond.unavailable(why(chosen), RETRY_AFTER_SECONDS);
    }

    private String why(long code) {
        return code == DOWN ? "sub-service '" + name + "' is down: " + pool.usableCount() + " healthy servers (minimum "
                + pool.minHealthy() + ")" : "no real server of '" + name + "' is available";
    }

    /** Step 8 in the trace: why nothing was chosen now, and what happens instead. */
    private void traceUnavailable(long code, Trace trace, boolean dryRun) {
        if (!trace.enabled()) {
            return;
        }
        if (code == WAIT) {
            trace.step("every usable server is at its connection limit: the request " + (dryRun ? "would wait" : "waits")
                    + " in the queue (the server is chosen when a slot frees)");
        } else {
            trace.step(why(code) + (sorry != null ? ": sorry server " + sorry.address() : ", no sorry server: 503"));
        }
    }

    private int acquire(long primaryKey, long fallbackKey, long hash, boolean dryRun) {
        long hashKey = persistence.persistence().enabled() ? persistence.hashKey(primaryKey, fallbackKey) : Keys.NO_KEY;
        return hashKey == Keys.NO_KEY ? acquire(scheduler, hash, dryRun)
                : acquire(persistence.hashScheduler(), hashKey, dryRun);
    }

    private int acquire(Scheduler scheduler, long hash, boolean dryRun) {
        for (int attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
            int i;
            try {
                i = scheduler.pick(pool, hash);
            } catch (RuntimeException e) {
                if (schedulerFailureLogged.compareAndSet(false, true)) {
                    LOG.warn("scheduler {} of {}/{} threw; treating as no pick (logged once)", schedulerName,
                            virtualService, name, e);
                } else {
                    LOG.debug("scheduler {} of {}/{} threw: {}", schedulerName, virtualService, name, e.toString());
                }
                return Scheduler.NONE;
            }
            if (i < 0 || i >= targets.length) {
                return Scheduler.NONE;
            }
            if (!builtIn && !pool.isEligible(i)) {
                continue; // a custom scheduler that ignored eligibility (built-ins checked it during the pick)
            }
            if (dryRun || pool.state(i).tryAcquire()) {
                return i;
            }
        }
        return Scheduler.NONE;
    }

    private Decision enqueue(Waiter w) {
        if (!queue.offer(w)) {
            counters.rejected();
            return Decision.Respond.unavailable("the wait queue of '" + name + "' is full", RETRY_AFTER_SECONDS);
        }
        counters.queued();
        w.timeout(timer.schedule(() -> {
            if (queue.remove(w)) {
                counters.rejected();
                w.future().complete(Decision.Respond.unavailable(
                        "no connection slot in '" + name + "' within the queue timeout", RETRY_AFTER_SECONDS));
            }
        }, queueTimeoutNanos, TimeUnit.NANOSECONDS));
        drainQueue(); // a slot may have freed between the failed pick and the offer
        return new Decision.Queued(w.future());
    }

    /** Serves waiters while slots are free. */
    private void drainQueue() {
        int spins = 0;
        Waiter w;
        while ((w = queue.poll()) != null) {
            if (w.future().isDone()) {
                continue; // cancelled by the host
            }
            Affinity a = w.affinity();
            int i = acquire(a.primaryKey(), a.fallbackKey(), w.hash(), false);
            if (i < 0) {
                queue.pushBack(w);
                if (++spins < 3 && anyAcceptsNew()) {
                    continue; // a slot freed while the waiter was out of the queue
                }
                return;
            }
            int flags = persistence.persistence().enabled()
                    ? persistence.record(i, 0, a.cookie(), a.primaryKey(), a.fallbackKey(), a.flags()) : a.flags();
            EngineForward f = EngineForward.of(targets[i], w.path(), w.query(), w.host(), w.edits(), this, i,
                    w.responseMask(), flags, a.primaryKey(), a.fallbackKey(), a.requestCookies());
            if (w.future().complete(f)) {
                w.cancelTimeout();
            } else {
                f.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, 0));
            }
        }
    }

    private boolean anyAcceptsNew() {
        for (int i = 0; i < pool.size(); i++) {
            if (pool.isEligible(i)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<HeaderEdit> responseEdits(ResponseView response, long mask, int index, int flags,
            String requestCookies) {
        CompiledPersistence p = persistence.persistence();
        if (index != EngineForward.NO_SLOT && p.enabled()) {
            p.learn(response, pool.id(index));
        }
        boolean cookie = index != EngineForward.NO_SLOT && (flags & EngineForward.INSERT_COOKIE) != 0;
        if (responseRules.length == 0 && !cookie) {
            return List.of();
        }
        List<HeaderEdit> edits = new ArrayList<>(responseRules.length + 1);
        for (int i = 0; i < responseRules.length; i++) {
            if (i >= 64 || (mask & (1L << i)) != 0) {
                HeaderEdit e = responseRules[i].responseEdit(response);
                if (e != null) {
                    edits.add(e);
                }
            }
        }
        if (cookie) {
            edits.add(p.setCookie(pool.id(index), (flags & EngineForward.SECURE) != 0, requestCookies));
        }
        return List.copyOf(edits);
    }

    @Override
    public void learnTlsSession(int index, String sessionId) {
        persistence.persistence().learnTlsSession(sessionId, pool.id(index));
    }

    @Override
    public void released(int index, Outcome outcome, long primaryKey, long fallbackKey) {
        ServerState state = pool.state(index);
        state.release(outcome);
        if (outcome.failure() == Outcome.Failure.CONNECT && persistence.persistence().enabled()) {
            persistence.forget(index, primaryKey, fallbackKey); // the host's retry is scheduled afresh
        }
        if (detecting) {
            outcomes.report(virtualService, name, state.name(), detection, outcome);
        }
        if (!queue.isEmpty()) {
            drainQueue();
        }
    }
}
