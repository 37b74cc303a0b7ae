package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.RealServer;
import dev.switchboard.api.spi.ServerSet;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.engine.internal.state.ServerState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * The servers of one sub-service as schedulers see them: stable indexes, configured weights fixed for this
 * snapshot, live state read lock-free from {@link ServerState}. Backups count as eligible only while fewer than
 * the configured minimum of primaries are usable; that fact, and the pool's mode (normal, panic, down), are
 * recomputed by the control plane after every state change ({@link #refresh()}), never on the request path.
 *
 * <p>When the backup tier switches on, its servers ramp up under the sub-service's slow start: the moment of the
 * switch is kept in one volatile field, and {@link #rampPermille(int)} of a backup is the lower of its own ramp and
 * the tier's. The ramp sets the backups' share against the primaries still in service; while no primary is usable
 * the tier's ramp is not applied and the backups share all the traffic from the start (there is no one else to
 * take it, and equal ramps would only skew the schedulers' tie-breaking).
 * Thread-safe.
 */
public final class Pool implements ServerSet {

    private static final VarHandle TIER_RAMP_END;

    static {
        try {
            TIER_RAMP_END = MethodHandles.lookup().findVarHandle(Pool.class, "tierRampEnd", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ServerState[] states;
    private final int[] weights;
    private final long[] ids;
    private final boolean[] backup;
    private final boolean hasBackups;
    private final int minPrimary;
    private final Ticker ticker;
    private final long[] idSlots;
    private final int[] idIndexes;
    private final int minHealthy;
    private final int panicBelow;
    private final long slowStartNanos;
    private volatile boolean backupsActive;
    /** Whether some primary is usable, so that the backup tier's ramp applies. */
    private volatile boolean primariesLeft;
    /** When the backup tier's slow start ends (ticker nanos); 0 when the tier is not ramping. */
    private volatile long tierRampEnd;
    private volatile int mode = NORMAL;
    private volatile int usableCount;

    /** Modes of a pool: see {@link #mode()}. */
    public static final int NORMAL = 0;
    /** Too few servers are healthy: balance across every enabled one, healthy or not. */
    public static final int PANIC = 1;
    /** Fewer servers than the minimum are healthy: the sub-service counts as down. */
    public static final int DOWN = 2;

    /**
     * A pool of {@code states}, whose weights, ids and backup flags come from {@code configs} (the configuration
     * being compiled, which the states take on only when it is applied).
     *
     * @param slowStartNanos how long servers that become usable, and the backup tier when it switches on, ramp up
     */
    Pool(List<ServerState> states, List<RealServer> configs, int minPrimary, int minHealthy, int panicPercent,
            long slowStartNanos, Ticker ticker) {
        this.states = states.toArray(new ServerState[0]);
        int n = this.states.length;
        this.weights = new int[n];
        this.ids = new long[n];
        this.backup = new boolean[n];
        boolean anyBackup = false;
        for (int i = 0; i < n; i++) {
            RealServer c = configs.get(i);
            weights[i] = this.states[i].effectiveWeight(c); // the agent's percentage applied
            ids[i] = idOf(c.name());
            backup[i] = c.isBackup();
            anyBackup |= backup[i];
        }
        this.hasBackups = anyBackup;
        int capacity = Integer.highestOneBit(Math.max(2, n * 2 - 1)) << 1;
        this.idSlots = new long[capacity];
        this.idIndexes = new int[capacity];
        for (int i = 0; i < n; i++) {
            int slot = (int) ids[i] & (capacity - 1);
            while (idSlots[slot] != 0) {
                slot = (slot + 1) & (capacity - 1);
            }
            idSlots[slot] = ids[i];
            idIndexes[slot] = i;
        }
        this.minPrimary = minPrimary;
        this.minHealthy = minHealthy;
        this.panicBelow = (int) Math.ceil(panicPercent * n / 100.0);
        this.slowStartNanos = slowStartNanos;
        this.ticker = ticker;
        recount();
    }

    /**
     * A well-mixed, positive, non-zero 64-bit identity of a server name (FNV-1a then a murmur3 finalizer): the
     * server id of persistence entries and cookies, stable across restarts and gateway instances.
     */
    static long idOf(String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h &= Long.MAX_VALUE;
        return h == 0 ? 1 : h;
    }

    /** The index of the server whose {@link #id(int)} is {@code id}, or -1. */
    public int indexOfId(long id) {
        int mask = idSlots.length - 1;
        for (int slot = (int) id & mask; ; slot = (slot + 1) & mask) {
            long candidate = idSlots[slot];
            if (candidate == id) {
                return idIndexes[slot];
            }
            if (candidate == 0) {
                return -1;
            }
        }
    }

    /**
     * Recomputes, after a state change (control plane): whether backups take traffic, and the pool's mode.
     *
     * @return whether the mode changed
     */
    public boolean refresh() {
        boolean wereActive = backupsActive;
        boolean modeChanged = recount();
        if (backupsActive != wereActive) {
            startTierRamp(backupsActive);
        }
        return modeChanged;
    }

    /**
     * Takes over the backup tier of {@code previous}, the pool this one replaces in a reconfiguration, then
     * {@link #refresh() refreshes} (control plane): a tier that was on stays on with its ramp where it was, a tier
     * that the new configuration switches on starts its ramp now.
     *
     * @return whether the mode differs from {@code previous}'s
     */
    boolean refreshAfter(Pool previous) {
        backupsActive = previous.backupsActive;
        tierRampEnd = slowStartNanos > 0 ? previous.tierRampEnd : 0; // slow start removed: the ramp ends
        mode = previous.mode;
        return refresh();
    }

    private void startTierRamp(boolean on) {
        if (!on || slowStartNanos <= 0) {
            tierRampEnd = 0;
            return;
        }
        long end = ticker.read() + slowStartNanos;
        tierRampEnd = end == 0 ? 1 : end;
    }

    private boolean recount() {
        int usable = 0;
        int usablePrimaries = 0;
        for (int i = 0; i < states.length; i++) {
            if (states[i].isUsable()) {
                usable++;
                usablePrimaries += backup[i] ? 0 : 1;
            }
        }
        backupsActive = hasBackups && usablePrimaries < minPrimary;
        primariesLeft = usablePrimaries > 0;
        usableCount = usable;
        int next = usable < minHealthy ? DOWN : usable < panicBelow ? PANIC : NORMAL;
        int previous = mode;
        mode = next;
        return next != previous;
    }

    /** {@link #NORMAL}, {@link #PANIC} or {@link #DOWN}. */
    public int mode() {
        return mode;
    }

    /** Servers that are enabled, healthy, not ejected and of weight above 0, as of the last {@link #refresh()}. */
    public int usableCount() {
        return usableCount;
    }

    /** The minimum of healthy servers below which the pool is down (0: none). */
    public int minHealthy() {
        return minHealthy;
    }

    public ServerState state(int i) {
        return states[i];
    }

    public boolean isBackup(int i) {
        return backup[i];
    }

    /** Whether backups currently take traffic. */
    public boolean backupsActive() {
        return backupsActive;
    }

    /** How many servers passive detection has ejected (half-open ones not counted). */
    public int ejectedCount() {
        int n = 0;
        for (ServerState s : states) {
            n += s.outlier() == dev.switchboard.api.OutlierState.EJECTED ? 1 : 0;
        }
        return n;
    }

    /** Whether some server could take the request but for its connection limit (so waiting makes sense). */
    public boolean anyUsable() {
        boolean panic = mode == PANIC;
        for (int i = 0; i < states.length; i++) {
            boolean usable = panic ? states[i].isUsableInPanic() : states[i].isUsable();
            if (usable && (!backup[i] || backupsActive)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int size() {
        return states.length;
    }

    @Override
    public boolean isEligible(int i) {
        ServerState s = states[i];
        boolean admits = mode == NORMAL ? s.acceptsNew() : s.acceptsNewInPanic(); // DOWN never gets here
        return admits && (!hasBackups || !backup[i] || backupsActive);
    }

    @Override
    public int weight(int i) {
        return weights[i];
    }

    @Override
    public int rampPermille(int i) {
        ServerState s = states[i];
        boolean tier = backup[i] && tierRampEnd != 0 && primariesLeft;
        if (!tier && !s.mayBeRamping()) {
            return FULL_RAMP;
        }
        long now = ticker.read();
        int own = s.rampPermille(now);
        return tier ? Math.min(own, tierRampPermille(now)) : own;
    }

    /** The backup tier's ramp at {@code now}, 1..1000; closes the window once it has passed. */
    private int tierRampPermille(long now) {
        long end = tierRampEnd;
        if (end == 0) {
            return FULL_RAMP;
        }
        if (now - end >= 0) {
            TIER_RAMP_END.compareAndSet(this, end, 0L); // not if the control plane started a new ramp meanwhile
            return FULL_RAMP;
        }
        long permille = (now - (end - slowStartNanos)) * FULL_RAMP / slowStartNanos;
        return (int) Math.max(1, Math.min(FULL_RAMP, permille));
    }

    @Override
    public int activeConnections(int i) {
        return states[i].activeConnections();
    }

    @Override
    public long id(int i) {
        return ids[i];
    }
}
