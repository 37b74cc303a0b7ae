package dev.switchboard.cluster.internal;

import static dev.switchboard.api.spi.PersistenceStore.NONE;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.StampedLock;

/**
 * One segment of an {@link EntryTable}: an open-addressing table (linear probing) over one {@code long[]} of
 * {@value #STRIDE} words per slot (key, server id, last access, stamp) under its own {@link StampedLock}, and the keys
 * queued for the shipper since the last drain. See {@link EntryTable} for reads, writes, growth and shipping.
 * Thread-safe; {@link #table} is read optimistically and written only under the write lock.
 */
final class EntrySegment {

    static final int KEY = 0;
    static final int SERVER = 1;
    static final int ACCESS = 2;
    static final int STAMP = 3;
    static final int STRIDE = 4;
    private static final int MIN_SLOTS = 16;
    static final int MAX_LOAD_PERCENT = 70;
    static final int CHUNK = 256;
    private static final int MIN_PENDING = 16;
    /** A drained queue longer than this is dropped (a burst's), a shorter one kept (no regrowth every interval). */
    private static final int MAX_KEPT_PENDING = 256;

    private final long seed;
    private final StampedLock lock = new StampedLock();
    /** Replaced (on growth) and written only under the write lock; read optimistically. */
    private long[] table = new long[MIN_SLOTS * STRIDE];
    /** Entries; written under the write lock. */
    private volatile int count;
    /** Keys queued for the shipper; under the write lock. */
    private long[] pending = new long[MIN_PENDING];
    private int pendingCount;

    /** @param seed the table's hash seed ({@link EntryTable#hash}) */
    EntrySegment(long seed) {
        this.seed = seed;
    }

    /** The number of entries. */
    int count() {
        return count;
    }

    /** See {@link EntryTable#get}; {@code h} is the key's hash. */
    long get(long key, long h, long now, long idle, int noteShift) {
        long stamp = lock.tryOptimisticRead();
        long[] t = table;
        int base = find(t, key, h);
        long server = base < 0 ? NONE : t[base + SERVER];
        long access = base < 0 ? 0 : t[base + ACCESS];
        if (!lock.validate(stamp)) {
            return lockedGet(key, h, now, idle, noteShift);
        }
        if (server == NONE || now - access > idle) {
            return NONE;
        }
        if (access != now) {
            long w = lock.tryConvertToWriteLock(stamp);
            if (w != 0L) {
                touch(t, base, key, access, now, noteShift); // no writer since the stamp: t is the table
                lock.unlockWrite(w);
            }
        }
        return server;
    }

    private long lockedGet(long key, long h, long now, long idle, int noteShift) {
        long stamp = lock.readLock();
        try {
            long[] t = table;
            int base = find(t, key, h);
            if (base < 0 || now - t[base + ACCESS] > idle) {
                return NONE;
            }
            long access = t[base + ACCESS];
            if (access != now) {
                long w = lock.tryConvertToWriteLock(stamp);
                if (w != 0L) {
                    stamp = w;
                    touch(t, base, key, access, now, noteShift);
                }
            }
            return t[base + SERVER];
        } finally {
            lock.unlock(stamp);
        }
    }

    /** Under the write lock: the new access time, and an access note when it opened another window. */
    private void touch(long[] t, int base, long key, long access, long now, int noteShift) {
        t[base + ACCESS] = now;
        if (now >> noteShift != access >> noteShift) {
            queue(key);
        }
    }

    /** See {@link EntryTable#put}. */
    void put(long key, long h, long server, long stamp, long access, boolean ship) {
        long w = lock.writeLock();
        try {
            int base = find(table, key, h);
            if (base < 0) {
                if ((count + 1) * 100L > (long) (table.length / STRIDE) * MAX_LOAD_PERCENT) {
                    rebuild(count + 1);
                }
                insert(table, key, server, access, stamp, h);
                count = count + 1;
            } else {
                long[] t = table;
                if (stamp > t[base + STAMP]) {
                    t[base + SERVER] = server;
                    t[base + ACCESS] = access;
                    t[base + STAMP] = stamp;
                } else if (stamp == t[base + STAMP] && access - t[base + ACCESS] > 0) {
                    t[base + ACCESS] = access;
                }
            }
            if (ship) {
                queue(key);
            }
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** Deletes {@code key} if its stamp is at most {@code upTo}. @return whether it was live at {@code now} */
    boolean remove(long key, long h, long now, long idle, long upTo) {
        long w = lock.writeLock();
        try {
            int base = find(table, key, h);
            if (base < 0 || table[base + STAMP] > upTo) {
                return false;
            }
            boolean live = now - table[base + ACCESS] <= idle;
            delete(table, base / STRIDE);
            return live;
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** See {@link EntryTable#removeIf}: a chunk of slots per write lock. */
    boolean removeIf(EntryTable.Filter filter) {
        boolean any = false;
        int i = 0;
        while (true) {
            long w = lock.writeLock();
            try {
                long[] t = table;
                int slots = t.length / STRIDE;
                if (i >= slots) {
                    return any;
                }
                // a deletion may shift a later entry into slot i: look at it again (an entry shifted back past
                // i by a write between two chunks is left to the next call)
                for (int end = Math.min(slots, i + CHUNK); i < end; ) {
                    int b = i * STRIDE;
                    if (t[b + SERVER] != NONE
                            && filter.test(t[b + KEY], t[b + SERVER], t[b + ACCESS], t[b + STAMP])) {
                        delete(t, i);
                        any = true;
                    } else {
                        i++;
                    }
                }
            } finally {
                lock.unlockWrite(w);
            }
        }
    }

    /** A copy of the slots (optimistic; under the read lock when a writer intervened). */
    long[] copy() {
        long stamp = lock.tryOptimisticRead();
        long[] t = table.clone();
        if (lock.validate(stamp)) {
            return t;
        }
        stamp = lock.readLock();
        try {
            return table.clone();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** See {@link EntryTable#drain}. */
    int drain(List<Entry> out, int max) {
        long w = lock.writeLock();
        try {
            int n = 0;
            int taken = 0;
            long[] t = table;
            while (taken < pendingCount && n < max) {
                long key = pending[taken++];
                int base = find(t, key, EntryTable.hash(key, seed));
                if (base >= 0) {
                    out.add(new Entry(key, t[base + SERVER], t[base + STAMP], t[base + ACCESS]));
                    n++;
                }
            }
            pendingCount -= taken;
            if (pendingCount == 0 && pending.length > MAX_KEPT_PENDING) {
                pending = new long[MIN_PENDING]; // a burst's queue is not kept for good
            } else {
                System.arraycopy(pending, taken, pending, 0, pendingCount);
            }
            return n;
        } finally {
            lock.unlockWrite(w);
        }
    }

    private void queue(long key) {
        if (pendingCount == pending.length) {
            pending = Arrays.copyOf(pending, pending.length * 2);
        }
        pending[pendingCount++] = key;
    }

    /**
     * The first word of {@code key}'s slot in {@code t}, or -1. Safe on a table a writer is changing: every
     * index stays in bounds and the probe ends after one pass at most.
     */
    private int find(long[] t, long key, long h) {
        int slots = t.length / STRIDE;
        int slot = home(h, slots);
        for (int n = 0; n < slots; n++) {
            int base = slot * STRIDE;
            if (t[base + SERVER] == NONE) {
                return -1;
            }
            if (t[base + KEY] == key) {
                return base;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
        return -1;
    }

    /** Writes an absent key into the first empty slot of its probe run (there is one: the load is bounded). */
    private void insert(long[] t, long key, long server, long access, long stamp, long h) {
        int slots = t.length / STRIDE;
        int slot = home(h, slots);
        while (t[slot * STRIDE + SERVER] != NONE) {
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
        int base = slot * STRIDE;
        t[base + KEY] = key;
        t[base + ACCESS] = access;
        t[base + STAMP] = stamp;
        t[base + SERVER] = server;
    }

    /**
     * Empties {@code hole} by backward-shift deletion: each following entry of the probe run whose home slot is
     * not cyclically within {@code (hole, j]} moves back into the hole, which moves on to where it came from.
     */
    private void delete(long[] t, int hole) {
        int slots = t.length / STRIDE;
        int j = hole;
        while (true) {
            j = j + 1 == slots ? 0 : j + 1;
            int from = j * STRIDE;
            if (t[from + SERVER] == NONE) {
                break;
            }
            int home = home(EntryTable.hash(t[from + KEY], seed), slots);
            if (distance(home, j, slots) >= distance(hole, j, slots)) {
                System.arraycopy(t, from, t, hole * STRIDE, STRIDE);
                hole = j;
            }
        }
        int base = hole * STRIDE;
        t[base + SERVER] = NONE;
        t[base + KEY] = 0L;
        t[base + ACCESS] = 0L;
        t[base + STAMP] = 0L;
        count = count - 1;
    }

    /** A new table with room for {@code entries} at a load of one half; readers of the old one fail validation. */
    private void rebuild(int entries) {
        long[] old = table;
        long[] fresh = new long[Math.max(MIN_SLOTS, entries * 2) * STRIDE];
        for (int base = 0; base < old.length; base += STRIDE) {
            if (old[base + SERVER] != NONE) {
                long key = old[base + KEY];
                insert(fresh, key, old[base + SERVER], old[base + ACCESS], old[base + STAMP],
                        EntryTable.hash(key, seed));
            }
        }
        table = fresh;
    }

    /** Adds {@code delta} to every access time. */
    void shiftAccess(long delta) {
        long w = lock.writeLock();
        try {
            long[] t = table;
            for (int base = 0; base < t.length; base += STRIDE) {
                if (t[base + SERVER] != NONE) {
                    t[base + ACCESS] += delta;
                }
            }
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** The home slot of hash {@code h} among {@code slots}: its low 32 bits scaled (the high ones pick the segment). */
    private static int home(long h, int slots) {
        return (int) (((h & 0xFFFF_FFFFL) * slots) >>> 32);
    }

    /** How many slots {@code to} is after {@code from}, cyclically. */
    private static int distance(int from, int to, int slots) {
        return to >= from ? to - from : to + slots - from;
    }
}
