package dev.switchboard.cluster.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;

/**
 * The tombstones and removed servers of a {@link ReplicatedTable} (its live entries are in an {@link EntryTable}):
 * entries by their primitive {@code long} key, with the subset of
 * {@link java.util.concurrent.ConcurrentHashMap}'s methods the table uses, under the same names, so that a lookup
 * boxes no key and an entry costs its {@link Entry} and one array slot (no map node, no {@code Long}).
 *
 * <p>64 segments, each an open-addressing table (linear probing) of entry references whose key is the entry's own
 * {@link Entry#key}; a removed slot holds a tombstone until the segment is rebuilt. Reads take no lock: one volatile
 * read of the segment's array, then acquire reads of its slots; an array is never changed after a rebuild replaced
 * it, and a slot changes atomically from one entry to another, so a reader sees either. Writes take the segment's
 * monitor. Keys are spread with a seeded SplitMix64 finalizer (a seed per map, so chosen keys cannot pile up in one
 * segment of every member). Iteration ({@link #values}) is weakly consistent, as {@code ConcurrentHashMap}'s.
 * Thread-safe.
 */
final class EntryMap {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);
    private static final int SEGMENT_BITS = 6;
    private static final int MIN_CAPACITY = 16;
    /** Fills a removed slot; never returned. Compared by identity (its key may equal a real one). */
    private static final Entry TOMBSTONE = new Entry(0, ReplicatedTable.NONE, Long.MIN_VALUE, 0);

    private final long seed = ThreadLocalRandom.current().nextLong();
    private final Segment[] segments = new Segment[1 << SEGMENT_BITS];
    private final Collection<Entry> values = new Values();

    EntryMap() {
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment();
        }
    }

    /** The entry of {@code key}, or null. Lock-free. */
    Entry get(long key) {
        long h = hash(key);
        Entry[] t = segment(h).table;
        int mask = t.length - 1;
        int i = (int) h & mask;
        for (int n = 0; n <= mask; n++, i = (i + 1) & mask) {
            Entry e = (Entry) SLOT.getAcquire(t, i);
            if (e == null) {
                return null;
            }
            if (e != TOMBSTONE && e.key == key) {
                return e;
            }
        }
        return null;
    }

    /**
     * Puts {@code incoming} when the key has no entry, else replaces the entry with {@code fn(old, incoming)}
     * (removes it when that is null), as {@code ConcurrentHashMap.merge}.
     *
     * @return the entry now mapped, or null
     */
    Entry merge(long key, Entry incoming, BinaryOperator<Entry> fn) {
        long h = hash(key);
        Segment s = segment(h);
        synchronized (s) {
            int i = s.find(key, h);
            if (i < 0) {
                s.insert(incoming, h);
                return incoming;
            }
            return s.replace(i, fn.apply(s.at(i), incoming));
        }
    }

    /** Replaces the entry of {@code key}, if any, with {@code fn(key, old)} (removed when null). @return the new one */
    Entry computeIfPresent(long key, BiFunction<Long, Entry, Entry> fn) {
        long h = hash(key);
        Segment s = segment(h);
        synchronized (s) {
            int i = s.find(key, h);
            return i < 0 ? null : s.replace(i, fn.apply(key, s.at(i)));
        }
    }

    /** Removes the entry of {@code key}. @return it, or null */
    Entry remove(long key) {
        long h = hash(key);
        Segment s = segment(h);
        synchronized (s) {
            int i = s.find(key, h);
            if (i < 0) {
                return null;
            }
            Entry old = s.at(i);
            s.replace(i, null);
            return old;
        }
    }

    /** Removes the entry of {@code key} when it is {@code value} (the same object). @return whether it was */
    boolean remove(long key, Entry value) {
        long h = hash(key);
        Segment s = segment(h);
        synchronized (s) {
            int i = s.find(key, h);
            if (i < 0 || s.at(i) != value) {
                return false;
            }
            s.replace(i, null);
            return true;
        }
    }

    /** The number of entries (a sum of per-segment counts, exact when no write runs meanwhile). */
    int size() {
        long n = 0;
        for (Segment s : segments) {
            n += s.live;
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** The entries: a weakly consistent view; its iterator's {@code remove} and {@code removeIf} write through. */
    Collection<Entry> values() {
        return values;
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

    /** One segment; every method but the reads of {@link #table} and {@link #live} runs under its monitor. */
    private final class Segment {
        volatile Entry[] table = new Entry[MIN_CAPACITY];
        /** Entries. */
        volatile int live;
        /** Slots that are not null: entries and tombstones. */
        int used;

        Entry at(int i) {
            return table[i];
        }

        /** The slot of {@code key}, or -1. */
        int find(long key, long h) {
            Entry[] t = table;
            int mask = t.length - 1;
            int i = (int) h & mask;
            for (int n = 0; n <= mask; n++, i = (i + 1) & mask) {
                Entry e = t[i];
                if (e == null) {
                    return -1;
                }
                if (e != TOMBSTONE && e.key == key) {
                    return i;
                }
            }
            return -1;
        }

        /** Adds an entry whose key is absent: in the first tombstone or empty slot of its probe sequence. */
        void insert(Entry e, long h) {
            if (used + 1 > table.length - (table.length >> 2)) {
                rebuild(live + 1);
            }
            Entry[] t = table;
            int mask = t.length - 1;
            int i = (int) h & mask;
            while (t[i] != null && t[i] != TOMBSTONE) {
                i = (i + 1) & mask;
            }
            if (t[i] == null) {
                used++;
            }
            SLOT.setRelease(t, i, e);
            live = live + 1;
        }

        /** Puts {@code e} in slot {@code i} (a tombstone when null). @return {@code e} */
        Entry replace(int i, Entry e) {
            Entry old = table[i];
            if (e == old) {
                return e;
            }
            SLOT.setRelease(table, i, e == null ? TOMBSTONE : e);
            if (e == null) {
                live = live - 1;
            }
            return e;
        }

        /** Tombstones every entry {@code filter} accepts. @return whether any */
        boolean removeIf(Predicate<? super Entry> filter) {
            Entry[] t = table;
            boolean any = false;
            for (int i = 0; i < t.length; i++) {
                Entry e = t[i];
                if (e != null && e != TOMBSTONE && filter.test(e)) {
                    replace(i, null);
                    any = true;
                }
            }
            return any;
        }

        /** A new array with room for {@code entries} at a load of at most one half, without tombstones. */
        private void rebuild(int entries) {
            int capacity = MIN_CAPACITY;
            while (capacity < entries * 2) {
                capacity <<= 1;
            }
            Entry[] fresh = new Entry[capacity];
            int mask = capacity - 1;
            for (Entry e : table) {
                if (e != null && e != TOMBSTONE) {
                    int i = (int) hash(e.key) & mask;
                    while (fresh[i] != null) {
                        i = (i + 1) & mask;
                    }
                    fresh[i] = e;
                }
            }
            used = live;
            table = fresh; // volatile write: publishes the filled array to lock-free readers
        }
    }

    /** The {@link #values} view. */
    private final class Values extends AbstractCollection<Entry> {

        @Override
        public Iterator<Entry> iterator() {
            return new Iterator<>() {
                private int segment;
                private Entry[] table = segments[0].table;
                private int slot;
                private Entry next = advance();
                private Entry last;

                private Entry advance() {
                    while (true) {
                        while (slot < table.length) {
                            Entry e = (Entry) SLOT.getAcquire(table, slot++);
                            if (e != null && e != TOMBSTONE) {
                                return e;
                            }
                        }
                        if (++segment == segments.length) {
                            return null;
                        }
                        table = segments[segment].table;
                        slot = 0;
                    }
                }

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public Entry next() {
                    if (next == null) {
                        throw new NoSuchElementException();
                    }
                    last = next;
                    next = advance();
                    return last;
                }

                @Override
                public void remove() {
                    if (last == null) {
                        throw new IllegalStateException("next() first");
                    }
                    EntryMap.this.remove(last.key, last);
                    last = null;
                }
            };
        }

        @Override
        public boolean removeIf(Predicate<? super Entry> filter) {
            boolean any = false;
            for (Segment s : segments) {
                synchronized (s) {
                    any |= s.removeIf(filter);
                }
            }
            return any;
        }

        @Override
        public int size() {
            return EntryMap.this.size();
        }
    }
}
