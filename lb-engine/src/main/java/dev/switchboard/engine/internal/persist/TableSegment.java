package dev.switchboard.engine.internal.persist;

import static dev.switchboard.api.spi.PersistenceStore.NONE;

import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;

/**
 * One segment of a {@link LongTableStore}: an open-addressing table with linear probing over a single
 * {@code long[]} of three words per slot (key, server id, last-access second), guarded by its own
 * {@link StampedLock}. A slot is empty when its server id is {@link dev.switchboard.api.spi.PersistenceStore#NONE},
 * so every key, 0 included, can be stored. The three words of a slot are adjacent, so a hit reads one cache line
 * (two when a slot straddles a line), and there is no object per entry.
 *
 * <p><b>Reads</b> take an optimistic stamp, probe, read the slot and validate; only when a writer intervened do
 * they retry under the read lock. They allocate nothing. The probe is bounded by the table length, so that a
 * read racing a writer cannot loop forever on an inconsistent table; whatever it read is then discarded by the
 * failed validation.
 *
 * <p><b>Refresh</b>: a hit whose last-access second is older than now writes the new second only through
 * {@link StampedLock#tryConvertToWriteLock}: the conversion succeeds only if no writer has taken the lock since the
 * stamp, so the slot still holds the key that was read and the write cannot land on another entry (a plain write
 * could: a concurrent removal may shift another entry into the slot by backward-shift deletion). When the
 * conversion fails (a writer or another reader is active) the refresh is skipped; the key is refreshed by its next
 * hit in the same or a later second. A refresh happens at most once per key and second.
 *
 * <p><b>Writes</b> ({@link #put}, {@link #remove}) take the write lock. Deletion shifts the following entries of
 * the probe run back (no tombstones). Each put first sweeps {@value #SWEEP} slots at the segment's cursor,
 * deleting expired entries, so that expired entries are reclaimed without a background thread.
 *
 * <p><b>Bound and eviction</b>: a segment holds at most {@code capacity} entries. A put of a new key into a full
 * segment deletes, among the next {@value #SAMPLE} live entries from the cursor (all of them when the segment holds
 * fewer), the one with the oldest last-access second, the first of them on a tie, and moves the cursor past the
 * sample. Expired entries are the oldest, so they go first. Hence an entry is only ever evicted when at least
 * {@code min(SAMPLE, live) - 1} other entries of its segment were last accessed in the same second or later.
 *
 * <p><b>Growth</b>: the table starts at {@value #INITIAL_SLOTS} slots and doubles under the write lock (dropping
 * expired entries) while it is more than half full, up to the smallest power of two of at least twice the
 * capacity; so memory follows the number of entries, and the load factor never exceeds one half.
 *
 * <p>Thread-safe. Throws nothing (the caller validates arguments).
 */
final class TableSegment {

    /** Live entries looked at per eviction. */
    static final int SAMPLE = 16;
    /** Slots examined for expired entries per put. */
    static final int SWEEP = 8;
    static final int INITIAL_SLOTS = 16;

    private static final int KEY = 0;
    private static final int SERVER = 1;
    private static final int ACCESS = 2;
    static final int STRIDE = 3;

    private final StampedLock lock = new StampedLock();
    /** The most entries; written under the write lock ({@link #capacity(int, int, int)}), read under it. */
    private int capacity;
    /** The slot count the table may grow to; written and read under the write lock. */
    private int maxSlots;
    private final long seed;
    /** Replaced (on growth) and written only under the write lock; read optimistically. */
    private long[] table;
    /** Live and not yet swept entries; written under the write lock, read by {@link #count()} without it. */
    private volatile int count;
    /** Next slot to sweep or to sample for eviction; under the write lock. */
    private int cursor;

    /**
     * @param capacity the most entries, at least 1
     * @param seed the store's hash seed ({@link LongTableStore#hash})
     */
    TableSegment(int capacity, long seed) {
        this.capacity = capacity;
        this.maxSlots = maxSlots(capacity);
        this.seed = seed;
        this.table = new long[Math.min(INITIAL_SLOTS, maxSlots) * STRIDE];
    }

    /** The slot count the table grows to: the smallest power of two of at least {@code 2 * capacity}. */
    static int maxSlots(int capacity) {
        return Math.max(2, Integer.highestOneBit(2 * capacity - 1) << 1);
    }

    int count() {
        return count;
    }

    /**
     * Sets the most entries to {@code capacity} (at least 1), evicting down to it at once (expired entries first,
     * then by sampled LRU). The table never shrinks; it may grow further when the capacity grows.
     */
    void capacity(int capacity, int now, int timeout) {
        long stamp = lock.writeLock();
        try {
            this.capacity = capacity;
            this.maxSlots = Math.max(maxSlots(capacity), table.length / STRIDE);
            while (count > capacity) {
                evict(now);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** The current number of slots (for tests and the footprint report). */
    int slots() {
        long stamp = lock.readLock();
        try {
            return table.length / STRIDE;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The server id for {@code key} (hashed to {@code h}), or NONE when absent or idle for more than timeout. */
    long get(long key, long h, int now, int timeout) {
        StampedLock lock = this.lock;
        long stamp = lock.tryOptimisticRead();
        long[] t = table;
        int base = find(t, key, h);
        long server = base < 0 ? NONE : t[base + SERVER];
        int access = base < 0 ? 0 : (int) t[base + ACCESS];
        if (!lock.validate(stamp)) {
            return lockedGet(key, h, now, timeout);
        }
        if (server == NONE || now - access > timeout) {
            return NONE;
        }
        if (now - access > 0) {
            long writeStamp = lock.tryConvertToWriteLock(stamp);
            if (writeStamp != 0L) {
                t[base + ACCESS] = now; // no writer since the stamp: t is the table and the slot still holds key
                lock.unlockWrite(writeStamp);
            }
        }
        return server;
    }

    private long lockedGet(long key, long h, int now, int timeout) {
        long stamp = lock.readLock();
        try {
            long[] t = table;
            int base = find(t, key, h);
            if (base < 0) {
                return NONE;
            }
            int access = (int) t[base + ACCESS];
            if (now - access > timeout) {
                return NONE;
            }
            if (now - access > 0) {
                long writeStamp = lock.tryConvertToWriteLock(stamp);
                if (writeStamp != 0L) {
                    stamp = writeStamp;
                    t[base + ACCESS] = now;
                }
            }
            return t[base + SERVER];
        } finally {
            lock.unlock(stamp);
        }
    }

    /** Maps {@code key} to {@code server} (not NONE), evicting when the segment is full. */
    void put(long key, long server, long h, int now, int timeout) {
        long stamp = lock.writeLock();
        try {
            sweep(now, timeout);
            int base = find(table, key, h);
            if (base >= 0) {
                table[base + SERVER] = server;
                table[base + ACCESS] = now;
                return;
            }
            if (count >= capacity) {
                evict(now);
            }
            if (count >= table.length / STRIDE / 2) {
                grow(now, timeout);
            }
            insert(table, key, server, h, now);
            count = count + 1;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Deletes {@code key}; whether it was there and not expired. */
    boolean remove(long key, long h, int now, int timeout) {
        long stamp = lock.writeLock();
        try {
            int base = find(table, key, h);
            if (base < 0) {
                return false;
            }
            boolean live = now - (int) table[base + ACCESS] <= timeout;
            delete(table, base / STRIDE);
            return live;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Deletes every entry whose server is in {@code sortedIds}, by rebuilding the table at its size. */
    void removeServers(long[] sortedIds) {
        long stamp = lock.writeLock();
        try {
            long[] old = table;
            long[] t = new long[old.length];
            int live = 0;
            for (int base = 0; base < old.length; base += STRIDE) {
                long server = old[base + SERVER];
                if (server != NONE && Arrays.binarySearch(sortedIds, server) < 0) {
                    long key = old[base + KEY];
                    insert(t, key, server, LongTableStore.hash(key, seed), (int) old[base + ACCESS]);
                    live++;
                }
            }
            table = t; // a new array: optimistic readers of the old one fail validation and retry on this one
            count = live;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * The index of the first word of {@code key}'s slot in {@code t}, or -1. Safe on a table that a writer is
     * changing: every index stays in bounds and the probe ends after at most one pass.
     */
    private static int find(long[] t, long key, long h) {
        int mask = t.length / STRIDE - 1;
        int slot = (int) h & mask;
        for (int n = 0; n <= mask; n++) {
            int base = slot * STRIDE;
            if (t[base + SERVER] == NONE) {
                return -1;
            }
            if (t[base + KEY] == key) {
                return base;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** Writes a new entry into the first empty slot of its probe run; the key must be absent and a slot free. */
    private static void insert(long[] t, long key, long server, long h, int access) {
        int mask = t.length / STRIDE - 1;
        int slot = (int) h & mask;
        while (t[slot * STRIDE + SERVER] != NONE) {
            slot = (slot + 1) & mask;
        }
        int base = slot * STRIDE;
        t[base + KEY] = key;
        t[base + ACCESS] = access;
        t[base + SERVER] = server;
    }

    /**
     * Empties {@code hole} by backward-shift deletion: each following entry of the probe run whose home slot is
     * not cyclically within {@code (hole, j]} moves back into the hole, which moves on to where it came from.
     */
    private void delete(long[] t, int hole) {
        int mask = t.length / STRIDE - 1;
        int j = hole;
        while (true) {
            j = (j + 1) & mask;
            int from = j * STRIDE;
            if (t[from + SERVER] == NONE) {
                break;
            }
            int home = (int) LongTableStore.hash(t[from + KEY], seed) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                int to = hole * STRIDE;
                t[to + KEY] = t[from + KEY];
                t[to + SERVER] = t[from + SERVER];
                t[to + ACCESS] = t[from + ACCESS];
                hole = j;
            }
        }
        int base = hole * STRIDE;
        t[base + SERVER] = NONE;
        t[base + KEY] = 0L;
        t[base + ACCESS] = 0L;
        count = count - 1;
    }

    /** Deletes the expired entries among the next {@link #SWEEP} slots at the cursor. */
    private void sweep(int now, int timeout) {
        long[] t = table;
        int mask = t.length / STRIDE - 1;
        for (int n = 0; n < SWEEP; n++) {
            int base = cursor * STRIDE;
            if (t[base + SERVER] != NONE && now - (int) t[base + ACCESS] > timeout) {
                delete(t, cursor); // an entry may have shifted into the cursor's slot: look at it again
            } else {
                cursor = (cursor + 1) & mask;
            }
        }
    }

    /** Deletes the least recently accessed of the next {@link #SAMPLE} live entries; the segment is not empty. */
    private void evict(int now) {
        long[] t = table;
        int mask = t.length / STRIDE - 1;
        int victim = -1;
        int oldest = Integer.MIN_VALUE;
        int slot = cursor;
        int seen = 0;
        for (int scanned = 0; scanned <= mask && seen < SAMPLE; scanned++) {
            int base = slot * STRIDE;
            if (t[base + SERVER] != NONE) {
                seen++;
                int age = now - (int) t[base + ACCESS];
                if (age > oldest) {
                    oldest = age;
                    victim = slot;
                }
            }
            slot = (slot + 1) & mask;
        }
        cursor = slot;
        delete(t, victim);
    }

    /** Doubles the table (up to maxSlots), re-inserting the entries that have not expired. */
    private void grow(int now, int timeout) {
        long[] old = table;
        int slots = old.length / STRIDE;
        if (slots >= maxSlots) {
            return;
        }
        long[] t = new long[slots * 2 * STRIDE];
        int live = 0;
        for (int base = 0; base < old.length; base += STRIDE) {
            long server = old[base + SERVER];
            if (server != NONE && now - (int) old[base + ACCESS] <= timeout) {
                long key = old[base + KEY];
                insert(t, key, server, LongTableStore.hash(key, seed), (int) old[base + ACCESS]);
                live++;
            }
        }
        table = t;
        count = live;
        cursor = cursor & (slots * 2 - 1);
    }
}
