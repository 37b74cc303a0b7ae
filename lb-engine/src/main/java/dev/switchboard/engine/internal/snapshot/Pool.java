package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.RealServer;
import dev.switchboard.api.spi.ServerSet;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.engine.internal.state.ServerState;
import java.util.List;

/**
 * The servers of one sub-service as schedulers see them: stable indexes, configured weights fixed for this
 * snapshot, live state read lock-free from {@link ServerState}. Backups count as eligible only while fewer than
 * the configured minimum of primaries are usable; that fact, and the pool's mode (normal, panic, down), are
 * recomputed by the control plane after every state change ({@link #refresh()}), never on the request path.
 * Thread-safe.
 */
public final class Pool implements ServerSet {

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
    private volatile boolean backupsActive;
    private volatile int mode = NORMAL;
    private volatile int usableCount;

    /** Modes of a pool: see {@link #mode()}. */
    public static final int NORMAL = 0;
    /** Too few servers are healthy: balance across every enabled one, healthy or not. */
    public static final int PANIC = 1;
    /** Fewer servers than the minimum are healthy: the sub-service counts as down. */
    public static final int DOWN = 2;

    Pool(List<ServerState> states, int minPrimary, int minHealthy, int panicPercent, Ticker ticker) {
        this.states = states.toArray(new ServerState[0]);
        int n = this.states.length;
        this.weights = new int[n];
        this.ids = new long[n];
        this.backup = new boolean[n];
        boolean anyBackup = false;
        for (int i = 0; i < n; i++) {
            RealServer c = this.states[i].config();
            weights[i] = this.states[i].effectiveWeight(); // the agent's percentage applied
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
        this.ticker = ticker;
        refresh();
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
        int usable = 0;
        int usablePrimaries = 0;
        for (int i = 0; i < states.length; i++) {
            if (states[i].isUsable()) {
                usable++;
                usablePrimaries += backup[i] ? 0 : 1;
            }
        }
        if (hasBackups) {
            backupsActive = usablePrimaries < minPrimary;
        }
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
        return s.mayBeRamping() ? s.rampPermille(ticker.read()) : FULL_RAMP;
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
