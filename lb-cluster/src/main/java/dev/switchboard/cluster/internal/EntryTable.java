package dev.switchboard.cluster.internal;

import static dev.switchboard.api.spi.PersistenceStore.NONE;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The live entries of a {@link ReplicatedTable}, inline: no object per entry. 64 segments, each an open-addressing
 * table (linear probing) over one {@code long[]} of four words per slot: key, server id, last access (the table's
 * ticker), stamp ({@link Stamps}); see {@link EntrySegment}. A slot is empty when its server id is
 * {@link dev.switchboard.api.spi.PersistenceStore#NONE} (entries never map to it), so every key, 0 included, can be
 * stored. A hit reads one slot: key, server and access
 * time are adjacent, as in the engine's own table ({@code TableSegment}), which this follows.
 *
 * <p><b>Reads</b> take an optimistic {@link java.util.concurrent.locks.StampedLock} stamp, probe, read the slot and
 * validate; only when a writer intervened do they retry under the read lock. They allocate nothing. An access time is
 * written only through {@link java.util.concurrent.locks.StampedLock#tryConvertToWriteLock} (no writer since the read,
 * so the slot still holds the key), and only when the ticker moved; when the conversion fails the write is skipped and
 * the next hit does it. The write queues the key for the shipper (an access note) when the new access time is in
 * another window of {@code 2^noteShift} ticks than the old one, so a busy entry is noted about once per window.
 *
 * <p><b>Writes</b> take the segment's write lock: {@link #put} merges by stamp (newest write wins; on a tie the later
 * access is kept) and queues the key when asked; deletion shifts the following entries of the probe run back (no
 * tombstones); {@link #removeIf} scans in chunks of {@value EntrySegment#CHUNK} slots, one write lock each, so readers
 * and writers wait at most one chunk. Slot counts need not be powers of two (a hash maps to a slot by multiply-shift):
 * a table grows to a load of one half when an insert would pass {@value EntrySegment#MAX_LOAD_PERCENT} %, so it holds
 * between 45 and 64 bytes of table per entry (32 bytes a slot).
 *
 * <p><b>Shipping</b>: each segment keeps the keys queued since the last {@link #drain} (under its write lock); a
 * drain ships what the slot holds then (newest state, a key queued twice is shipped twice), and skips keys removed
 * meanwhile (their removal is shipped on its own). Thread-safe.
 */
final class EntryTable {

    private static final int SEGMENT_BITS = 6;

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
    private final EntrySegment[] segments = new EntrySegment[1 << SEGMENT_BITS];

    EntryTable() {
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new EntrySegment(seed);
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
        for (EntrySegment s : segments) {
            any |= s.removeIf(filter);
        }
        return any;
    }

    /** Adds {@code delta} to every access time (the table moved to another ticker). */
    void shiftAccess(long delta) {
        for (EntrySegment s : segments) {
            s.shiftAccess(delta);
        }
    }

    /**
     * Calls {@code each} with every entry of a copy of each segment, outside any lock (weakly consistent, like a
     * {@code ConcurrentHashMap} iteration). Control plane.
     */
    void forEach(Visitor each) {
        for (EntrySegment s : segments) {
            long[] t = s.copy();
            for (int base = 0; base < t.length; base += EntrySegment.STRIDE) {
                if (t[base + EntrySegment.SERVER] != NONE) {
                    each.accept(t[base + EntrySegment.KEY], t[base + EntrySegment.SERVER],
                            t[base + EntrySegment.ACCESS], t[base + EntrySegment.STAMP]);
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
        for (EntrySegment s : segments) {
            n += s.count();
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

    private EntrySegment segment(long h) {
        return segments[(int) (h >>> (64 - SEGMENT_BITS))];
    }

    private long hash(long key) {
        return hash(key, seed);
    }

    /** SplitMix64's finalizer (Stafford's variant 13) of {@code key ^ seed}. */
    static long hash(long key, long seed) {
        long z = key ^ seed;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
