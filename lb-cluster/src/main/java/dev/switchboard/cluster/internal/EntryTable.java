package dev.switchboard.cluster.internal;

import static dev.switchboard.api.spi.PersistenceStore.NONE;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.StampedLock;

/**
 * The live entries of a {@link ReplicatedTable}, inline: no object per entry. 64 segments, each an open-addressing
 * table (linear probing) over one {@code long[]} of four words per slot: key, server id, last access (the table's
 * ticker), stamp ({@link Stamps}). A slot is empty when its server id is {@link dev.switchboard.api.spi.PersistenceStore#NONE}
 * (entries never map to it), so every key, 0 included, can be stored. A hit reads one slot: key, server and access
 * time are adjacent, as in the engine's own table ({@code TableSegment}), which this follows.
 *
 * <p><b>Reads</b> take an optimistic {@link StampedLock} stamp, probe, read the slot and validate; only when a writer
 * intervened do they retry under the read lock. They allocate nothing. An access time is written only through
 * {@link StampedLock#tryConvertToWriteLock} (no writer since the read, so the slot still holds the key), and only when
 * the ticker moved; when the conversion fails the write is skipped and the next hit does it. The write queues the key
 * for the shipper (an access note) when the new access time is in another window of {@code 2^noteShift} ticks than
 * the old one, so a busy entry is noted about once per window.
 *
 * <p><b>Writes</b> take the segment's write lock: {@link #put} merges by stamp (newest write wins; on a tie the later
 * access is kept) and queues the key when asked; deletion shifts the following entries of the probe run back (no
 * tombstones); {@link #removeIf} scans in chunks of {@value #CHUNK} slots, one write lock each, so readers and
 * writers wait at most one chunk. Slot counts need not be powers of two (a hash maps to a slot by multiply-shift):
 * a table grows to a load of one half when an insert would pass {@value #MAX_LOAD_PERCENT} %, so it holds between 45
 * and 64 bytes of table per entry (32 bytes a slot).
 *
 * <p><b>Shipping</b>: each segment keeps the keys queued since the last {@link #drain} (under its write lock); a
 * drain ships what the slot holds then (newest state, a key queued twice is shipped twice), and skips keys removed
 * meanwhile (their removal is shipped on its own). Thread-safe.
 */
final class EntryTable {

    private static final int SEGMENT_BITS = 6;
    private static final int KEY = 0;
    private static final int SERVER = 1;
    private static final int ACCESS = 2;
    private static final int STAMP = 3;
    private static final int STRIDE = 4;
    private static final int MIN_SLOTS = 16;
    private static final int MAX_LOAD_PERCENT = 70;
    private static final int CHUNK = 256;
    private static final int MIN_PENDING = 16;
    /** A drained queue longer than this is dropped (a burst's), a shorter one kept (no regrowth every interval). */
    private static final int MAX_KEPT_PENDING = 256;

    /** A test on one entry's words; must not call back into the table. */
    @FunctionalInterface
    interface Filter {
        boolean test(long key, long server, long access, long stamp);
    }

    /** What {@link #forEach} calls with each entry's words. */
    @FunctionalInterface
    interface Visitor {
        void accept(long key, long server, long access, long stamp);
    }

    private final long seed = ThreadLocalRandom.current().nextLong();
    private final Segment[] segments = new Segment[1 << SEGMENT_BITS];

    EntryTable() {
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment();
        }
    }

    /**
     * The server of {@code key}, or {@code NONE} when absent or idle for more than {@code idle} ticks at
     * {@code now}. A hit moves the access time to {@code now} (see the class comment). Lock-free unless a writer
     * intervenes; allocates nothing.
     */
    long get(long key, long now, long idle, int noteShift) {
        long h = hash(key);
        return segment(h).get(key, h, now, idle, noteShift);
    }

    /**
     * Merges a write: taken when the key is absent or {@code stamp} is greater than the entry's; on an equal stamp
     * (the same write, shipped again) only a later access time is taken. Queues the key for the shipper when
     * {@code ship}.
     */
    void put(long key, long server, long stamp, long access, boolean ship) {
        long h = hash(key);
        segment(h).put(key, h, server, stamp, access, ship);
    }

    /** Removes {@code key}. @return whether it was there and not idle for more than {@code idle} at {@code now} */
    boolean remove(long key, long now, long idle) {
        long h = hash(key);
        return segment(h).remove(key, h, now, idle, Long.MAX_VALUE);
    }

    /** Removes {@code key} unless its write is newer than {@code stamp} (a removal stamped {@code stamp}). */
    void removeUpTo(long key, long stamp) {
        long h = hash(key);
        segment(h).remove(key, h, 0, Long.MAX_VALUE, stamp);
    }

    /** Removes every entry {@code filter} accepts, a chunk of slots per write lock. @return whether any */
    boolean removeIf(Filter filter) {
        boolean any = false;
        for (Segment s : segments) {
            any |= s.removeIf(filter);
        }
        return any;
    }

    /** Adds {@code delta} to every access time (the table moved to another ticker). */
    void shiftAccess(long delta) {
        for (Segment s : segments) {
            long w = s.lock.writeLock();
            try {
                long[] t = s.table;
                for (int base = 0; base < t.length; base += STRIDE) {
                    if (t[base + SERVER] != NONE) {
                        t[base + ACCESS] += delta;
                    }
                }
            } finally {
                s.lock.unlockWrite(w);
            }
        }
    }

    /**
     * Calls {@code each} with every entry of a copy of each segment, outside any lock (weakly consistent, like a
     * {@code ConcurrentHashMap} iteration). Control plane.
     */
    void forEach(Visitor each) {
        for (Segment s : segments) {
            long[] t = s.copy();
            for (int base = 0; base < t.length; base += STRIDE) {
                if (t[base + SERVER] != NONE) {
                    each.accept(t[base + KEY], t[base + SERVER], t[base + ACCESS], t[base + STAMP]);
                }
            }
        }
    }

    /**
     * Moves up to {@code max} queued keys' current entries into {@code out} (as {@link Entry} values; keys removed
     * since they were queued are dropped). @return how many entries
     */
    int drain(List<Entry> out, int max) {
        int n = 0;
        for (int i = 0; i < segments.length && n < max; i++) {
            n += segments[i].drain(out, max - n);
        }
        return n;
    }

    /** The number of entries (a sum of per-segment counts, exact when no write runs meanwhile). */
    int size() {
        long n = 0;
        for (Segment s : segments) {
            n += s.count;
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** Evicts the {@code over} entries with the oldest access times (those at the cut-off in slot order). */
    void evictOldest(int over) {
        if (over <= 0) {
            return;
        }
        long[] accesses = new long[size()];
        int[] n = {0};
        forEach((key, server, access, stamp) -> {
            if (n[0] < accesses.length) {
                accesses[n[0]++] = access;
            }
        });
        if (n[0] == 0) {
            return;
        }
        long[] sorted = Arrays.copyOf(accesses, n[0]);
        Arrays.sort(sorted);
        long cutoff = sorted[Math.min(over, sorted.length) - 1];
        int[] atCutoff = {0};
        for (int i = 0; i < Math.min(over, sorted.length); i++) {
            atCutoff[0] += sorted[i] == cutoff ? 1 : 0;
        }
        removeIf((key, server, access, stamp) -> access < cutoff || access == cutoff && atCutoff[0]-- > 0);
    }

    private Segment segment(long h) {
        return segments[(int) (h >>> (64 - SEGMENT_BITS))];
    }

    /** SplitMix64's finalizer (Stafford's variant 13) of {@code key ^ seed}. */
    private long hash(long key) {
        long z = key ^ seed;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The home slot of hash {@code h} among {@code slots}: its low 32 bits scaled (the high ones pick the segment). */
    private static int home(long h, int slots) {
        return (int) (((h & 0xFFFF_FFFFL) * slots) >>> 32);
    }

    /** One segment: {@link #table} is replaced and written only under the write lock, read optimistically. */
    private final class Segment {
        final StampedLock lock = new StampedLock();
        long[] table = new long[MIN_SLOTS * STRIDE];
        volatile int count;
        /** Keys queued for the shipper; under the write lock. */
        long[] pending = new long[MIN_PENDING];
        int pendingCount;

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

        boolean removeIf(Filter filter) {
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

        int drain(List<Entry> out, int max) {
            long w = lock.writeLock();
            try {
                int n = 0;
                int taken = 0;
                long[] t = table;
                while (taken < pendingCount && n < max) {
                    long key = pending[taken++];
                    int base = find(t, key, hash(key));
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
                int home = home(hash(t[from + KEY]), slots);
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
                    insert(fresh, key, old[base + SERVER], old[base + ACCESS], old[base + STAMP], hash(key));
                }
            }
            table = fresh;
        }
    }

    /** How many slots {@code to} is after {@code from}, cyclically. */
    private static int distance(int from, int to, int slots) {
        return to >= from ? to - from : to + slots - from;
    }
}
