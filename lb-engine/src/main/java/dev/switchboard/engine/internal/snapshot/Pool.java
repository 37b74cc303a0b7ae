package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.RealServer;
import dev.switchboard.api.spi.ServerSet;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.engine.internal.state.ServerState;
import java.util.List;

/**
 * The servers of one sub-service as schedulers see them: stable indexes, configured weights fixed for this
 * snapshot, live state read lock-free from {@link ServerState}. Backups count as eligible only while fewer than
 * the configured minimum of primaries are usable; that fact is recomputed by the control plane after every state
 * change ({@link #refreshBackups()}), never on the request path. Thread-safe.
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
    private volatile boolean backupsActive;

    Pool(List<ServerState> states, int minPrimary, Ticker ticker) {
        this.states = states.toArray(new ServerState[0]);
        int n = this.states.length;
        this.weights = new int[n];
        this.ids = new long[n];
        this.backup = new boolean[n];
        boolean anyBackup = false;
        for (int i = 0; i < n; i++) {
            RealServer c = this.states[i].config();
            weights[i] = c.weight();
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
        this.ticker = ticker;
        refreshBackups();
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

    /** Recomputes whether backups take traffic (control plane). */
    public void refreshBackups() {
        if (!hasBackups) {
            return;
        }
        int usable = 0;
        for (int i = 0; i < states.length; i++) {
            if (!backup[i] && states[i].isUsable()) {
                usable++;
            }
        }
        backupsActive = usable < minPrimary;
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

    /** Whether some server could take the request but for its connection limit (so waiting makes sense). */
    public boolean anyUsable() {
        for (int i = 0; i < states.length; i++) {
            if (states[i].isUsable() && (!backup[i] || backupsActive)) {
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
        return states[i].acceptsNew() && (!hasBackups || !backup[i] || backupsActive);
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
