package dev.switchboard.engine.internal.state;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Health;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierState;
import dev.switchboard.api.RealServer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mutable facts of one real server in one sub-service: admin state, health, outlier (passive) state, the agent's
 * wishes, active leases, counters and the slow-start window. The request path reads the volatile fields without locks;
 * state changes are written by the engine's control plane, one at a time. Survives reconfiguration while the server
 * keeps its name.
 *
 * <p>The fields the request path reads on every pick sit in this one object: {@code admission} (whether the server is
 * usable — admin enabled, health up, not ejected, effective weight above 0 — and its connection limit, in one int
 * recomputed at every control-plane write), {@code active} (updated through a VarHandle, no separate atomic object) and
 * {@code rampEnd}.
 */
public final class ServerState {

    private static final VarHandle ACTIVE;
    private static final int REQUESTS = 0;
    private static final int FAILURES = 1;
    private static final int BYTES_IN = 2;
    private static final int BYTES_OUT = 3;

    static {
        try {
            ACTIVE = MethodHandles.lookup().findVarHandle(ServerState.class, "active", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String virtualService;
    private final String subService;
    private final String name;
    private volatile RealServer config;
    private volatile AdminState admin;
    private volatile Health health = Health.UP;
    /** -1: not usable (disabled, draining, down or weight 0); 0: usable, no limit; n: usable, at most n leases. */
    private volatile int admission;
    /** The same for clients that persistence keeps here: enabled or draining (any weight), health up. */
    private volatile int persistentAdmission;
    /** The same in panic mode: enabled and weight above 0, whatever the health. */
    private volatile int panicAdmission;
    private volatile String healthReason = "";
    private volatile OutlierState outlier = OutlierState.NORMAL;
    private volatile String outlierReason = "";
    private volatile int halfOpenCalls = 1;
    private volatile long ejections;
    private volatile int agentWeightPercent = 100;
    private volatile boolean agentAdmin;
    /** The connection limit tryAcquire enforces: the configured one, capped while half-open; 0 for none. */
    private volatile int limit;
    private volatile int active;
    private volatile long rampStart;
    private volatile long rampEnd;
    /** Requests, failures, bytes in and out: added to on every lease, striped by thread in one array. */
    private final StripedCounters counters = new StripedCounters(4);
    private final LongAdder openTunnels = new LongAdder();
    private final ConcurrentLinkedQueue<CompletableFuture<Boolean>> drainWaiters = new ConcurrentLinkedQueue<>();
    private final ServerTraffic traffic = new ServerTraffic();

    /**
     * A server that starts in {@code initialHealth}: up without a health check, else the check's initial state
     * ("not checked yet" until the checker's first verdict), so that no request reaches a server never seen healthy.
     */
    public ServerState(String virtualService, String subService, RealServer config, Health initialHealth) {
        this.virtualService = virtualService;
        this.subService = subService;
        this.name = config.name();
        this.config = config;
        this.admin = config.initialState();
        this.health = initialHealth;
        this.healthReason = initialHealth == Health.UP ? "" : "not checked yet";
        refreshUsable();
    }

    private void refreshUsable() {
        int max = config.maxConnections();
        if (outlier == OutlierState.HALF_OPEN) {
            max = max == 0 ? halfOpenCalls : Math.min(max, halfOpenCalls);
        }
        limit = max;
        boolean weighted = effectiveWeight() > 0;
        boolean up = health == Health.UP && outlier != OutlierState.EJECTED;
        admission = admin == AdminState.ENABLED && up && weighted ? max : -1;
        persistentAdmission = admin != AdminState.DISABLED && up ? max : -1;
        panicAdmission = admin == AdminState.ENABLED && weighted ? max : -1; // panic ignores health and ejection
    }

    /**
     * The weight schedulers use: the configured weight scaled by the agent's percentage (at least 1 when both are
     * above 0).
     */
    public int effectiveWeight() {
        return effectiveWeight(config);
    }

    /**
     * The weight schedulers would use with {@code config} in place of the current configuration (the agent's
     * percentage applied); lets the control plane build a pool before the configuration is applied.
     */
    public int effectiveWeight(RealServer config) {
        int w = config.weight();
        int percent = agentWeightPercent;
        return percent == 100 || w == 0 ? w : percent == 0 ? 0 : Math.max(1, (int) ((long) w * percent / 100));
    }

    public String virtualService() {
        return virtualService;
    }

    public String subService() {
        return subService;
    }

    public String name() {
        return name;
    }

    public RealServer config() {
        return config;
    }

    /** Replaces the configuration (weight, address, limit) on reconfiguration; runtime state stays. */
    public void config(RealServer config) {
        this.config = config;
        refreshUsable();
    }

    public AdminState admin() {
        return admin;
    }

    public Health health() {
        return health;
    }

    /** Whether the server may take new clients, not counting its connection limit. */
    public boolean isUsable() {
        return admission >= 0;
    }

    /** Whether the server may take a new client now, connection limit included. */
    public boolean acceptsNew() {
        int limit = admission;
        return limit == 0 || limit > 0 && active < limit;
    }

    /**
     * Whether a client that persistence keeps on this server may be sent here now: enabled or draining, health up,
     * under its connection limit (weight 0 takes no new clients but keeps its persistent ones).
     */
    public boolean acceptsPersistent() {
        int limit = persistentAdmission;
        return limit == 0 || limit > 0 && active < limit;
    }

    /** Whether the server may take a new client in panic mode (health ignored), limit included. */
    public boolean acceptsNewInPanic() {
        int limit = panicAdmission;
        return limit == 0 || limit > 0 && active < limit;
    }

    /** Whether the server may take new clients in panic mode, not counting its limit (enabled, weight above 0). */
    public boolean isUsableInPanic() {
        return panicAdmission >= 0;
    }

    /** Whether the health verdict is up. */
    public boolean isHealthy() {
        return health == Health.UP;
    }

    /** Why the health is what it is, as the health checker said; empty when never told. */
    public String healthReason() {
        return healthReason;
    }

    /** Sets the admin state as the operator (control plane); the agent no longer owns it. @return whether it changed */
    public boolean admin(AdminState state) {
        agentAdmin = false;
        return setAdmin(state);
    }

    private boolean setAdmin(AdminState state) {
        AdminState old = admin;
        admin = state;
        refreshUsable();
        return old != state;
    }

    /**
     * Applies an agent's admin wish (control plane): {@code DRAINING} or {@code DISABLED} only while the server is
     * enabled or the agent took it out itself; {@code ENABLED} only undoes what the agent did.
     *
     * @return whether the admin state changed
     */
    public boolean agentAdmin(AdminState wish) {
        if (wish == AdminState.ENABLED) {
            if (!agentAdmin) {
                return false;
            }
            agentAdmin = false;
            return setAdmin(AdminState.ENABLED);
        }
        if (admin != AdminState.ENABLED && !agentAdmin) {
            return false; // the operator's state wins
        }
        agentAdmin = true;
        return setAdmin(wish);
    }

    /** Whether the admin state is one the agent set. */
    public boolean adminByAgent() {
        return agentAdmin;
    }

    /** Sets the agent's weight percentage, 0..100 (control plane). @return whether it changed */
    public boolean agentWeightPercent(int percent) {
        int old = agentWeightPercent;
        agentWeightPercent = percent;
        refreshUsable();
        return old != percent;
    }

    public int agentWeightPercent() {
        return agentWeightPercent;
    }

    /**
     * Sets the outlier state (control plane); {@code halfOpenCalls} caps the leases of a half-open server.
     *
     * @return whether it changed
     */
    public boolean outlier(OutlierState state, String reason, int halfOpenCalls) {
        OutlierState old = outlier;
        this.halfOpenCalls = Math.max(1, halfOpenCalls);
        outlier = state;
        outlierReason = reason;
        if (state == OutlierState.EJECTED && old != OutlierState.EJECTED) {
            ejections++;
        }
        refreshUsable();
        return old != state;
    }

    public OutlierState outlier() {
        return outlier;
    }

    /** Why the outlier state is what it is, as the detector said; empty when never told. */
    public String outlierReason() {
        return outlierReason;
    }

    /** How many times passive detection ejected this server. */
    public long ejections() {
        return ejections;
    }

    /** Sets the health (control plane). @return whether it changed */
    public boolean health(Health verdict, String reason) {
        Health old = health;
        health = verdict;
        healthReason = reason;
        refreshUsable();
        return old != verdict;
    }

    /** Starts a slow-start window of {@code durationNanos} from {@code now}; zero duration ends any window. */
    public void startRamp(long now, long durationNanos) {
        if (durationNanos <= 0) {
            rampEnd = 0;
            return;
        }
        rampStart = now;
        rampEnd = now + durationNanos;
    }

    /** Whether a slow-start window may be open (cheap check before reading the clock). */
    public boolean mayBeRamping() {
        return rampEnd != 0;
    }

    /** The ramp in permille at {@code now}, 1..1000; closes the window once it has passed. */
    public int rampPermille(long now) {
        long end = rampEnd;
        if (end == 0) {
            return 1000;
        }
        if (now - end >= 0) {
            rampEnd = 0;
            return 1000;
        }
        long start = rampStart;
        long permille = (now - start) * 1000 / Math.max(1, end - start);
        return (int) Math.max(1, Math.min(1000, permille));
    }

    /** Takes a slot if the connection limit allows. @return whether it was taken */
    public boolean tryAcquire() {
        int max = limit;
        if (max == 0) {
            ACTIVE.getAndAdd(this, 1);
        } else {
            int n;
            do {
                n = active;
                if (n >= max) {
                    return false;
                }
            } while (!ACTIVE.compareAndSet(this, n, n + 1));
        }
        counters.add(REQUESTS, 1);
        return true;
    }

    /**
     * Gives back a slot that {@link #tryAcquire} took for a request the engine then answered itself (a deny among
     * the sub-service's request rules, which run after the server is chosen): the slot is free again and the
     * request does not count for this server, neither as a request nor as an outcome.
     */
    public void giveBack() {
        counters.add(REQUESTS, -1);
        if ((int) ACTIVE.getAndAdd(this, -1) == 1 && !drainWaiters.isEmpty()) {
            completeDrainWaiters();
        }
    }

    /** Returns a slot with the outcome; completes drain waiters when the last lease of a non-enabled server ends. */
    public void release(Outcome outcome) {
        if (outcome.isFailure()) {
            counters.add(FAILURES, 1);
        }
        if (outcome.bytesIn() > 0) {
            counters.add(BYTES_IN, outcome.bytesIn());
        }
        if (outcome.bytesOut() > 0) {
            counters.add(BYTES_OUT, outcome.bytesOut());
        }
        if ((int) ACTIVE.getAndAdd(this, -1) == 1 && !drainWaiters.isEmpty()) {
            completeDrainWaiters();
        }
        traffic.released(outcome);
    }

    /** Responses by class, failures by kind, probes and the metrics recorder of this server. */
    public ServerTraffic traffic() {
        return traffic;
    }

    /**
     * A future that completes with true once this server has no active leases (at once if it has none now).
     * The caller completes it with false at its deadline.
     */
    public CompletableFuture<Boolean> awaitDrained() {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        drainWaiters.add(f);
        if (active == 0) {
            completeDrainWaiters();
        }
        return f;
    }

    private void completeDrainWaiters() {
        CompletableFuture<Boolean> f;
        while ((f = drainWaiters.poll()) != null) {
            f.complete(Boolean.TRUE);
        }
    }

    public int activeConnections() {
        return active;
    }

    public long totalRequests() {
        return counters.sum(REQUESTS);
    }

    /** A lease here became a tunnel ({@code +1}) or its tunnel closed ({@code -1}); the lease counts as active too. */
    public void tunnel(int delta) {
        openTunnels.add(delta);
    }

    /** Leases that are open tunnels (upgraded connections), a part of {@link #activeConnections()}. */
    public int openTunnels() {
        return openTunnels.intValue();
    }

    public long failures() {
        return counters.sum(FAILURES);
    }

    public long bytesIn() {
        return counters.sum(BYTES_IN);
    }

    public long bytesOut() {
        return counters.sum(BYTES_OUT);
    }

    @Override
    public String toString() {
        return virtualService + "/" + subService + "/" + name + "(" + admin.configName() + ", "
                + health.configName() + (outlier == OutlierState.NORMAL ? "" : ", " + outlier.configName())
                + ", active " + active + ")";
    }
}
