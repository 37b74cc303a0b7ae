package dev.switchboard.cluster.internal;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * The replicated persistence table of one owner on one member. The request path ({@link #get}, {@link #put},
 * {@link #remove}) touches only an {@link EntryMap} (primitive keys: a lookup boxes nothing) and a lock-free outbox:
 * no network call; a lookup takes no lock, a put takes one of the map's 64 segment locks for one merge. Writes,
 * removals and, at most every quarter of the idle timeout per entry, accesses are queued in the outbox for the
 * shipper; entries from other members come in through {@link #applyRemote} on the control plane. Newest write per key wins ({@link Entry#newer}).
 *
 * <p>Expiry: an entry idle for longer than the timeout reads as a miss at once and is removed by {@link #sweep}.
 * Until a store is bound ({@link #bind}) the table keeps what it receives with no expiry on the system ticker.
 * The bound is enforced by the sweep (the table can exceed it between two sweeps), by evicting the least recently
 * used entries; evictions are local and not shipped. Thread-safe.
 */
public final class ReplicatedTable implements PersistenceStore {

    private final String owner;
    private final Stamps stamps;
    private final EntryMap map = new EntryMap();
    private final ConcurrentLinkedQueue<Entry> outbox = new ConcurrentLinkedQueue<>();
    private final Object bindLock = new Object();
    private volatile Ticker ticker = Ticker.system();
    private volatile long idleNanos = Long.MAX_VALUE;
    private volatile int maxEntries = Integer.MAX_VALUE;

    ReplicatedTable(String owner, Stamps stamps) {
        this.owner = owner;
        this.stamps = stamps;
    }

    /** The owner (the name the member hands its factory out under). */
    public String owner() {
        return owner;
    }

    @Override
    public long get(long key) {
        Entry e = map.get(key);
        if (e == null) {
            return NONE;
        }
        long now = ticker.read();
        long idle = idleNanos;
        if (now - e.lastAccess > idle) {
            return NONE;
        }
        if (e.lastAccess != now) {
            // a volatile write costs a full fence: skip it while the ticker has not moved (the engine's store ticker
            // moves every 250 ms, so most hits on a busy entry write nothing)
            e.lastAccess = now;
        }
        if (now - e.lastShipped > idle >> 2) {
            e.lastShipped = now;
            outbox.offer(e);
        }
        return e.serverId;
    }

    /** {@inheritDoc} @throws IllegalArgumentException when {@code serverId} is {@link #NONE} */
    @Override
    public void put(long key, long serverId) {
        if (serverId == NONE) {
            throw new IllegalArgumentException("serverId: " + serverId + " (NONE is not a server)");
        }
        Entry e = new Entry(key, serverId, stamps.next(), ticker.read());
        map.merge(key, e, Entry::newer);
        outbox.offer(e);
    }

    @Override
    public boolean remove(long key) {
        Entry old = map.remove(key);
        long now = ticker.read();
        outbox.offer(new Entry(key, NONE, stamps.next(), now));
        return old != null && now - old.lastAccess <= idleNanos;
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
                long delta = newTicker.read() - old.read();
                for (Entry e : map.values()) {
                    e.lastAccess += delta;
                    e.lastShipped += delta;
                }
                ticker = newTicker;
            }
            idleNanos = idleTimeout.toNanos();
            this.maxEntries = maxEntries;
        }
    }

    /** Applies a write or removal of another member, {@code ageNanos} after its last access there. Control plane. */
    void applyRemote(long key, long serverId, long stamp, long ageNanos) {
        long lastAccess = ticker.read() - Math.max(0, ageNanos);
        if (serverId == NONE) {
            map.computeIfPresent(key, (k, old) -> stamp >= old.stamp ? null : old);
            return;
        }
        map.merge(key, new Entry(key, serverId, stamp, lastAccess), Entry::newer);
    }

    /** Moves up to {@code max} queued writes into {@code out}. @return how many */
    int drain(List<Entry> out, int max) {
        int n = 0;
        Entry e;
        while (n < max && (e = outbox.poll()) != null) {
            out.add(e);
            n++;
        }
        return n;
    }

    /** The age of an entry being shipped now (nanoseconds since its last access on this member). */
    long ageOf(Entry e) {
        return Math.max(0, ticker.read() - e.lastAccess);
    }

    /** Calls {@code each} with every live entry and its age in nanoseconds. Control plane. */
    void forEachLive(BiConsumer<Entry, Long> each) {
        long now = ticker.read();
        long idle = idleNanos;
        for (Entry e : map.values()) {
            long age = now - e.lastAccess;
            if (age <= idle) {
                each.accept(e, Math.max(0, age));
            }
        }
    }

    /** Removes expired entries, then the least recently used ones past the bound. Control plane. */
    void sweep() {
        long now = ticker.read();
        long idle = idleNanos;
        map.values().removeIf(e -> now - e.lastAccess > idle);
        int over = map.size() - maxEntries;
        if (over > 0) {
            // sort on a snapshot of the access times: request threads move them during the sort, and a comparator
            // that reads them live can break TimSort's contract (IllegalArgumentException, no eviction at all)
            List<Aged> all = new ArrayList<>(map.size());
            for (Entry e : map.values()) {
                all.add(new Aged(e.lastAccess - now, e));
            }
            all.sort(Comparator.comparingLong(Aged::access));
            for (int i = 0; i < over && i < all.size(); i++) {
                Entry e = all.get(i).entry();
                map.remove(e.key, e);
            }
        }
    }

    /** An entry and its access time as read once by {@link #sweep}. */
    private record Aged(long access, Entry entry) {
    }
}
