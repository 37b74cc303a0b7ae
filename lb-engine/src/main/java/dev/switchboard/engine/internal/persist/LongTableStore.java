package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The purpose-built persistence store: primitive open-addressing tables, no boxing and no object per entry,
 * split into segments ({@link TableSegment}) of which each has its own {@link java.util.concurrent.locks.StampedLock}.
 *
 * <p><b>Layout.</b> A key is hashed with a per-store seed ({@link #hash}); bits 32 and up pick the segment (a power
 * of two: one per 64 entries of {@code maxEntries}, at most {@value #MAX_SEGMENTS}), the low bits the slot. The
 * seed keeps clients that choose their keys (addresses, cookie values) from aiming them at one probe run of a
 * known function; it is a defence in depth, not a cryptographic one. {@code maxEntries} is split exactly across
 * the segments (the first {@code maxEntries % segments} hold one more), so the store never holds more than
 * {@code maxEntries}; a segment that is full evicts even if others are not (at 1 M entries and 64 segments, the
 * segments' key counts differ by about 1 %). Each slot is 24 bytes (three longs: key, server id, last access);
 * at most half the slots are used, so a full store takes 48 to 96 bytes of table per entry, and exactly
 * {@code 2^21 * 24 B = 48 MiB}, 50.3 bytes per entry, at 1,000,000 entries.
 *
 * <p><b>Time.</b> Last access is kept in whole seconds since the store was created, read from the injected
 * {@link Ticker}. An entry is a miss once {@code nowSecond - lastAccessSecond > timeoutSeconds}, where the timeout
 * is rounded up to whole seconds; so an entry lives at least its idle timeout after its last access and less than
 * one second more. A hit refreshes the second at most once per second and key (see {@link TableSegment} for why the
 * refresh cannot touch another entry, and when it is skipped). Every operation reads the ticker once; give the
 * store a {@link CoarseTicker} rather than {@link Ticker#system()} on the request path (a clock call per lookup
 * costs more than the lookup, see there).
 *
 * <p><b>Expiry and bound.</b> Expired entries are misses at once and are deleted lazily: by a put that finds them
 * in its segment's sweep window, by eviction (they are the oldest), when a table grows, and by {@link #remove}.
 * Until then {@link #size} counts them. Eviction is an approximate LRU by sampling; the guarantee is stated on
 * {@link TableSegment}: an entry is evicted only when at least {@code min(16, live) - 1} other entries of its
 * segment were last accessed in the same second or later.
 *
 * <p>Thread-safe; {@link #get} takes no lock unless a writer intervenes and allocates nothing; {@link #put} and
 * {@link #remove} hold one segment's write lock for a probe, a bounded sweep and possibly a table growth.
 * The constructor throws {@link IllegalArgumentException} for a non-positive timeout or {@code maxEntries};
 * {@link #put} throws it for the server id {@link #NONE}; nothing else throws.
 */
final class LongTableStore implements PersistenceStore {

    static final int MAX_SEGMENTS = 64;
    /** Entries per segment below which the store uses fewer segments, so that sampled eviction sees enough. */
    static final int MIN_ENTRIES_PER_SEGMENT = 64;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final TableSegment[] segments;
    private final int segmentMask;
    private final long seed;
    private final Ticker ticker;
    private final long origin;
    /** Changed only by {@link #reconfigure}; read once per operation. */
    private volatile int timeoutSeconds;

    /**
     * @param idleTimeout how long an entry lives after its last access, positive
     * @param maxEntries the most entries, at least 1
     * @param ticker the clock
     * @param seed the hash seed
     * @throws IllegalArgumentException for a timeout or maximum out of range
     */
    LongTableStore(Duration idleTimeout, int maxEntries, Ticker ticker, long seed) {
        PersistenceStores.checkArguments(idleTimeout, maxEntries);
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.origin = ticker.read();
        this.timeoutSeconds = timeoutSeconds(idleTimeout);
        this.seed = seed;
        int count = segmentCount(maxEntries);
        this.segments = new TableSegment[count];
        this.segmentMask = count - 1;
        for (int i = 0; i < count; i++) {
            int capacity = maxEntries / count + (i < maxEntries % count ? 1 : 0);
            segments[i] = new TableSegment(capacity, seed);
        }
    }

    /** The number of segments for {@code maxEntries}: a power of two in 1..64, about one per 64 entries. */
    static int segmentCount(int maxEntries) {
        int wanted = Math.max(1, maxEntries / MIN_ENTRIES_PER_SEGMENT);
        return Math.min(MAX_SEGMENTS, Integer.highestOneBit(wanted));
    }

    /** The timeout in whole seconds, rounded up, at least 1. */
    static int timeoutSeconds(Duration idleTimeout) {
        long seconds = idleTimeout.getSeconds() + (idleTimeout.getNano() > 0 ? 1 : 0);
        return (int) Math.min(Math.max(seconds, 1L), Integer.MAX_VALUE);
    }

    /**
     * The SplitMix64 finalizer (Stafford's variant 13) of {@code key ^ seed}: a bijection in which every input
     * bit flips every output bit with probability about one half, so both the low (slot) and the high (segment)
     * bits are well spread even for keys such as IPv4 addresses that differ only in a few low bits.
     */
    static long hash(long key, long seed) {
        long z = key ^ seed;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public long get(long key) {
        long h = hash(key, seed);
        return segment(h).get(key, h, now(), timeoutSeconds);
    }

    /** {@inheritDoc} @throws IllegalArgumentException when {@code serverId} is {@link #NONE} */
    @Override
    public void put(long key, long serverId) {
        PersistenceStores.checkServerId(serverId);
        long h = hash(key, seed);
        segment(h).put(key, serverId, h, now(), timeoutSeconds);
    }

    @Override
    public boolean remove(long key) {
        long h = hash(key, seed);
        return segment(h).remove(key, h, now(), timeoutSeconds);
    }

    /**
     * True when every segment keeps at least one entry ({@code maxEntries} at least the number of segments, which
     * was chosen for the bound the store was created with and stays).
     */
    @Override
    public boolean canReconfigure(Duration idleTimeout, int maxEntries) {
        return idleTimeout != null && idleTimeout.compareTo(Duration.ZERO) > 0 && maxEntries >= segments.length;
    }

    /**
     * Sets the timeout (whole seconds, rounded up, applied to every entry from the next operation on) and splits
     * the new bound across the segments as the constructor does; a segment over its new share evicts down to it
     * at once, by the same sampled LRU as a put.
     *
     * @throws IllegalArgumentException for arguments out of range, or fewer entries than segments
     */
    @Override
    public void reconfigure(Duration idleTimeout, int maxEntries) {
        PersistenceStores.checkArguments(idleTimeout, maxEntries);
        if (maxEntries < segments.length) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= " + segments.length
                    + ", the segments of this store)");
        }
        int timeout = timeoutSeconds(idleTimeout);
        this.timeoutSeconds = timeout;
        int count = segments.length;
        for (int i = 0; i < count; i++) {
            segments[i].capacity(maxEntries / count + (i < maxEntries % count ? 1 : 0), now(), timeout);
        }
    }

    /** Deletes the entries of {@code serverIds}, one segment at a time under its write lock (a scan of its slots). */
    @Override
    public void removeServers(long[] serverIds) {
        long[] sorted = serverIds.clone();
        Arrays.sort(sorted);
        for (TableSegment segment : segments) {
            segment.removeServers(sorted);
        }
    }

    @Override
    public long size() {
        long sum = 0;
        for (TableSegment segment : segments) {
            sum += segment.count();
        }
        return sum;
    }

    /** The number of segments. */
    int segments() {
        return segments.length;
    }

    /** The slots allocated in all segments now (24 bytes each). */
    long slots() {
        long sum = 0;
        for (TableSegment segment : segments) {
            sum += segment.slots();
        }
        return sum;
    }

    private TableSegment segment(long h) {
        return segments[(int) (h >>> 32) & segmentMask];
    }

    private int now() {
        return (int) ((ticker.read() - origin) / NANOS_PER_SECOND);
    }

    @Override
    public String toString() {
        return "LongTableStore{segments=" + segments.length + ", timeoutSeconds=" + timeoutSeconds
                + ", size=" + size() + '}';
    }
}
