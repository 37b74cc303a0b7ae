package dev.switchboard.cluster.internal;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * The replicated persistence table of one owner on one member. The request path ({@link #get}, {@link #put},
 * {@link #remove}) touches only an {@link EntryTable} (entries inline in primitive arrays: a lookup allocates
 * nothing and reads one slot) and, for a removal, a lock-free outbox: no network call; a lookup takes no lock
 * unless a writer intervenes, a put takes one of the table's 64 segment locks. Writes and, about once per quarter of
 * the idle timeout per busy entry, accesses are queued by key in the table, removals in the outbox, for the
 * shipper, which ships each key's entry as it is then; entries from other members come in through
 * {@link #applyRemote} on the control plane. Newest write per key wins (greatest stamp).
 *
 * <p>Expiry: an entry idle for longer than the timeout reads as a miss at once and is removed by {@link #sweep}.
 * Until a store is bound ({@link #bind}) the table keeps what it receives with no expiry on the system ticker.
 * The bound is enforced by the sweep (the table can exceed it between two sweeps), by evicting the least recently
 * used entries; evictions are local and not shipped.
 *
 * <p>Removals: {@link #remove} leaves a tombstone, and {@link #removeServers} a record per server, each kept for the
 * idle timeout (at most {@value #MAX_TOMBSTONES} tombstones and {@value #MAX_REMOVED_SERVERS} servers, the oldest
 * go first): a write of another member older than either is refused, so a late or re-sent older write does not
 * bring a removed entry back while they are kept. Thread-safe.
 */
public final class ReplicatedTable implements PersistenceStore {

    /** The most tombstones a table keeps (the oldest go first). */
    static final int MAX_TOMBSTONES = 65_536;
    /** The most removed servers a table remembers (the oldest go first). */
    static final int MAX_REMOVED_SERVERS = 1_024;

    private final String owner;
    private final Stamps stamps;
    private final EntryTable map = new EntryTable();
    /** Removals to ship (writes and access notes are queued by key in {@link #map}). */
    private final ConcurrentLinkedQueue<Entry> outbox = new ConcurrentLinkedQueue<>();
    /** Removals by key ({@code serverId == NONE}), kept for the idle timeout: an older put does not come back. */
    private final EntryMap tombstones = new EntryMap();
    /** Removed servers by server id (the id in {@code key}), kept for the idle timeout, and the ones to ship. */
    private final EntryMap removedServers = new EntryMap();
    private final ConcurrentLinkedQueue<Entry> removals = new ConcurrentLinkedQueue<>();
    private final Object bindLock = new Object();
    private volatile Ticker ticker = Ticker.system();
    private volatile long idleNanos = Long.MAX_VALUE;
    /** Access notes: a hit in another window of {@code 2^noteShift} ticks than the last access (see {@link #bind}). */
    private volatile int noteShift = noteShift(Long.MAX_VALUE);
    private volatile int maxEntries = Integer.MAX_VALUE;

    ReplicatedTable(String owner, Stamps stamps) {
        this.owner = owner;
        this.stamps = stamps;
    }

    /** The owner (the name the member hands its factory out under). */
    public String owner() {
        return owner;
    }

    /**
     * {@inheritDoc} A hit writes its access time only when the ticker moved since the last one (the engine's store
     * ticker moves every 250 ms, so most hits on a busy entry write nothing), and queues an access note for the other
     * members when that time is in another window of {@code 2^noteShift} ticks (a power of two between an eighth
     * and a quarter of the idle timeout): so their copy of a busy entry is at most about a quarter of the idle
     * timeout behind, at about one note per window.
     */
    @Override
    public long get(long key) {
        return map.get(key, ticker.read(), idleNanos, noteShift);
    }

    /** The note window's bits for {@code idleNanos}: the largest power of two at most a quarter of it (at least 1). */
    static int noteShift(long idleNanos) {
        return 63 - Long.numberOfLeadingZeros(Math.max(1, idleNanos >> 2));
    }

    /** {@inheritDoc} @throws IllegalArgumentException when {@code serverId} is {@link #NONE} */
    @Override
    public void put(long key, long serverId) {
        if (serverId == NONE) {
            throw new IllegalArgumentException("serverId: " + serverId + " (NONE is not a server)");
        }
        map.put(key, serverId, stamps.next(), ticker.read(), true);
    }

    @Override
    public boolean remove(long key) {
        long now = ticker.read();
        boolean live = map.remove(key, now, idleNanos);
        Entry tombstone = new Entry(key, NONE, stamps.next(), now);
        tombstones.merge(key, tombstone, (earlier, fresh) -> fresh);
        outbox.offer(tombstone);
        return live;
    }

    /**
     * Drops every entry of {@code serverIds} (this member's configuration no longer has them), remembers the removal
     * for the idle timeout so that an older write of such a server arriving later is refused, and queues it for
     * the other members, which drop the entries written before it. Control plane.
     */
    @Override
    public void removeServers(long[] serverIds) {
        long stamp = stamps.next();
        long now = ticker.read();
        for (long id : serverIds) {
            Entry removal = new Entry(id, NONE, stamp, now);
            removedServers.merge(id, removal, Entry::newer);
            removals.offer(removal);
        }
        long[] sorted = serverIds.clone();
        Arrays.sort(sorted);
        map.removeIf((key, server, access, written) -> Arrays.binarySearch(sorted, server) >= 0);
    }

    @Override
    public long size() {
        return map.size();
    }

    @Override
    public boolean canReconfigure(Duration idleTimeout, int maxEntries) {
        return true;
    }

    @Override
    public void reconfigure(Duration idleTimeout, int maxEntries) {
        bind(idleTimeout, maxEntries, ticker);
    }

    /**
     * Gives the table the store's idle timeout, bound and ticker; the access times of the entries it holds move to
     * the new ticker. Control plane.
     *
     * @throws IllegalArgumentException for a timeout that is not positive or {@code maxEntries < 1}
     */
    public void bind(Duration idleTimeout, int maxEntries, Ticker newTicker) {
        Objects.requireNonNull(newTicker, "ticker");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
        }
        synchronized (bindLock) {
            Ticker old = ticker;
            if (old != newTicker) {
                map.shiftAccess(newTicker.read() - old.read());
                ticker = newTicker;
            }
            idleNanos = idleTimeout.toNanos();
            noteShift = noteShift(idleNanos);
            this.maxEntries = maxEntries;
        }
    }

    /**
     * Applies a write or removal of another member, {@code ageNanos} after its last access there (or after the
     * removal). A write older than a removal of its key or of its server that this table remembers is refused.
     * Control plane.
     */
    void applyRemote(long key, long serverId, long stamp, long ageNanos) {
        long lastAccess = ticker.read() - Math.max(0, ageNanos);
        if (serverId == NONE) {
            map.removeUpTo(key, stamp);
            tombstones.merge(key, new Entry(key, NONE, stamp, lastAccess), Entry::newer);
            return;
        }
        Entry tombstone = tombstones.get(key);
        if (tombstone != null) {
            if (tombstone.stamp >= stamp) {
                return;
            }
            tombstones.remove(key, tombstone);
        }
        Entry removal = removedServers.get(serverId);
        if (removal != null && removal.stamp >= stamp) {
            return;
        }
        map.put(key, serverId, stamp, lastAccess, false);
    }

    /** Applies another member's removal of server {@code serverId}, {@code ageNanos} ago there. Control plane. */
    void applyServerRemoval(long serverId, long stamp, long ageNanos) {
        removedServers.merge(serverId, new Entry(serverId, NONE, stamp, ticker.read() - Math.max(0, ageNanos)),
                Entry::newer);
        map.removeIf((key, server, access, written) -> server == serverId && written < stamp);
    }

    /**
     * Moves the queued server removals into {@code out} as server, stamp, age triples.
     *
     * @return whether there were any
     */
    boolean drainServerRemovals(List<Long> out) {
        Entry r;
        boolean any = false;
        while ((r = removals.poll()) != null) {
            addRemoval(out, r, ticker.read());
            any = true;
        }
        return any;
    }

    /** Every remembered server removal, as server, stamp, age triples (for a snapshot). Control plane. */
    void removedServers(List<Long> out) {
        long now = ticker.read();
        removedServers.values().forEach(r -> addRemoval(out, r, now));
    }

    private static void addRemoval(List<Long> out, Entry r, long now) {
        out.add(r.key);
        out.add(r.stamp);
        out.add(Math.max(0, now - r.lastAccess));
    }

    /** Moves up to {@code max} queued removals, then writes and access notes into {@code out}. @return how many */
    int drain(List<Entry> out, int max) {
        int n = 0;
        Entry e;
        while (n < max && (e = outbox.poll()) != null) {
            out.add(e);
            n++;
        }
        return n < max ? n + map.drain(out, max - n) : n;
    }

    /** The age of an entry being shipped now (nanoseconds since its last access on this member). */
    long ageOf(Entry e) {
        return Math.max(0, ticker.read() - e.lastAccess);
    }

    /**
     * Calls {@code each} with every live entry and every tombstone (a removal, {@code serverId == NONE}), and its
     * age in nanoseconds. Control plane.
     */
    void forEachLive(BiConsumer<Entry, Long> each) {
        long now = ticker.read();
        long idle = idleNanos;
        map.forEach((key, server, access, stamp) -> {
            long age = now - access;
            if (age <= idle) {
                each.accept(new Entry(key, server, stamp, access), Math.max(0, age));
            }
        });
        for (Entry t : tombstones.values()) {
            each.accept(t, Math.max(0, now - t.lastAccess));
        }
    }

    /** The number of tombstones (removals remembered). */
    int tombstones() {
        return tombstones.size();
    }

    /**
     * Removes expired entries, then the least recently used ones past the bound; forgets tombstones and server
     * removals older than the idle timeout, and the oldest past their bounds. Control plane.
     */
    void sweep() {
        long now = ticker.read();
        long idle = idleNanos;
        map.removeIf((key, server, access, stamp) -> now - access > idle);
        tombstones.values().removeIf(t -> now - t.lastAccess > idle);
        removedServers.values().removeIf(r -> now - r.lastAccess > idle);
        map.evictOldest(map.size() - maxEntries);
        evictOldest(tombstones, tombstones.size() - Math.min(maxEntries, MAX_TOMBSTONES), now);
        evictOldest(removedServers, removedServers.size() - MAX_REMOVED_SERVERS, now);
    }

    private static void evictOldest(EntryMap from, int over, long now) {
        if (over <= 0) {
            return;
        }
        // sort on a snapshot of the access times: request threads move them during the sort, and a comparator
        // that reads them live can break TimSort's contract (IllegalArgumentException, no eviction at all)
        List<Aged> all = new ArrayList<>(from.size());
        for (Entry e : from.values()) {
            all.add(new Aged(e.lastAccess - now, e));
        }
        all.sort(Comparator.comparingLong(Aged::access));
        for (int i = 0; i < over && i < all.size(); i++) {
            Entry e = all.get(i).entry();
            from.remove(e.key, e);
        }
    }

    /** An entry and its access time as read once by {@link #sweep}. */
    private record Aged(long access, Entry entry) {
    }
}
