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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * One sub-service of a compiled routing table: its pool, scheduler, rules, sorry server and wait queue. In two
 * parts, so that its request rules can run between them (step 9): {@link #choose} finds the persistent server or
 * picks one and takes its slot (or says why none); {@link #complete} records persistence and hands out the lease,
 * or queues when every usable server is at its limit, or answers with the sorry server or 503. The pick itself is
 * the {@link Picker}'s, the wait queue the {@link Waiters}'. Thread-safe.
 */
public final class CompiledSubService implements EngineForward.Owner {

    static final int RETRY_AFTER_SECONDS = 5;

    /** {@link #choose}: every usable server is at its limit and the sub-service has a queue. */
    static final long WAIT = -1;
    /** {@link #choose}: nothing is eligible (sorry server, else 503). */
    static final long UNAVAILABLE = -2;
    /** {@link #choose}: the sub-service is down (too few healthy servers; sorry server, else 503). */
    static final long DOWN = -3;

    private final String virtualService;
    private final String name;
    private final Pool pool;
    private final String schedulerName;
    private final boolean needsHash;
    private final Target[] targets;
    private final Target sorry;
    private final CompiledHeaderRule[] requestRules;
    private final CompiledHeaderRule[] responseRules;
    private final boolean responseConditional;
    private final int queueCapacity;
    private final ServiceCounters counters;
    private final long slowStartNanos;
    private final PersistentPick persistence;
    private final Picker picker;
    private final Waiters waiters;
    private final OutcomeRelay outcomes;
    private final boolean detecting;
    private final OutlierDetection detection;
    private final RandomGenerator random;

    CompiledSubService(Parts p) {
        this.virtualService = p.virtualService;
        this.name = p.name;
        this.pool = p.pool;
        this.schedulerName = p.schedulerName;
        this.needsHash = p.needsHash;
        this.targets = p.targets;
        this.sorry = p.sorry;
        this.requestRules = p.requestRules;
        this.responseRules = p.responseRules;
        boolean conditional = false;
        for (CompiledHeaderRule r : responseRules) {
            conditional |= r.isConditional();
        }
        this.responseConditional = conditional;
        this.queueCapacity = p.queueCapacity;
        this.counters = p.counters;
        this.slowStartNanos = p.slowStartNanos;
        this.persistence = new PersistentPick(p.persistence, p.pool, p.hashScheduler, p.counters);
        this.picker = new Picker(p.virtualService, p.name, p.pool, p.targets.length, p.scheduler, p.schedulerName,
                p.builtIn, persistence);
        this.waiters = new Waiters(p.name, p.queue, p.queueTimeoutNanos, p.counters, p.timer);
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
        return picker.scheduler();
    }

    /** The sorry server, if this sub-service has one. */
    public Optional<Target> findSorryServer() {
        return Optional.ofNullable(sorry);
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
        return waiters.queue();
    }

    CompiledHeaderRule[] requestRules() {
        return requestRules;
    }

    Picker picker() {
        return picker;
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
        int i = picker.acquire(primaryKey, fallbackKey, hash, dryRun);
        if (i >= 0) {
            if (trace.enabled()) {
                trace.step("picked " + pool.state(i).name() + " (" + targets[i].address() + ")");
            }
            return i;
        }
        long code = queueCapacity > 0 && pool.anyUsable() && !picker.anyAcceptsNew() ? WAIT : UNAVAILABLE;
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
        waiters.drain(this); // the slot may be the one a waiter needs
    }

    /**
     * The decision for what {@link #choose} answered, with the request as the sub-service's rules left it: a
     * forward with its lease (persistence records where the client went), a wait in the queue, the sorry server,
     * or 503. {@code cookies} is the request's Cookie header when the sub-service inserts the active cookie.
     */
    Decision complete(long chosen, String path, String query, String host, List<HeaderEdit> edits, long mask,
            long hash, long cookie, long primaryKey, long fallbackKey, int flags, String cookies, boolean dryRun) {
        if (chosen >= 0) {
            return lease((int) chosen, (int) (chosen >>> 32), path, query, host, edits, mask, cookie, primaryKey,
                    fallbackKey, flags, cookies, dryRun);
        }
        if (chosen == WAIT) {
            if (dryRun) {
                return new Decision.Queued(CompletableFuture.completedFuture(Decision.Respond.unavailable(
                        "explain only: the request would wait for a connection slot", RETRY_AFTER_SECONDS)));
            }
            return waiters.enqueue(new Waiter(path, query, host, edits, mask, hash,
                    new Affinity(cookie, primaryKey, fallbackKey, flags, cookies)), this);
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
            trace.step("every usable server is at its connection limit: the request "
                    + (dryRun ? "would wait" : "waits") + " in the queue (the server is chosen when a slot frees)");
        } else {
            trace.step(why(code) + (sorry != null ? ": sorry server " + sorry.address() : ", no sorry server: 503"));
        }
    }

    /**
     * The forward to server {@code i} (found by persistence through {@code source}, 0 when scheduled), with its lease
     * unless in a dry run; persistence records where the client went (not in a dry run).
     */
    EngineForward lease(int i, int source, String path, String query, String host, List<HeaderEdit> edits, long mask,
            long cookie, long primaryKey, long fallbackKey, int flags, String cookies, boolean dryRun) {
        if (persistence.persistence().enabled() && !dryRun) {
            flags = persistence.record(i, source, cookie, primaryKey, fallbackKey, flags);
        }
        return EngineForward.of(targets[i], path, query, host, edits, this, dryRun ? EngineForward.NO_SLOT : i, mask,
                flags, primaryKey, fallbackKey, cookies);
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
    public void tunnel(int index, int delta) {
        pool.state(index).tunnel(delta);
    }

    @Override
    public void released(int index, Outcome outcome, long primaryKey, long fallbackKey) {
        ServerState state = pool.state(index);
        state.release(outcome);
        if (outcome.failure() == Outcome.Failure.CONNECT && persistence.persistence().enabled()) {
            persistence.forget(index, primaryKey, fallbackKey); // the host's retry is scheduled afresh
            counters.redispatched();
        }
        if (detecting) {
            outcomes.report(virtualService, name, state.name(), detection, outcome);
        }
        waiters.drain(this);
    }
}
