package dev.switchboard.engine.internal.persist;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A persistence store on a Caffeine cache: {@code maximumSize(maxEntries)}, {@code expireAfterAccess(idleTimeout)},
 * the engine's {@link Ticker}, and a same-thread executor, so that Caffeine's maintenance (draining its read and
 * write buffers, eviction, expiry) runs on the calling thread, amortized over requests, with no background thread
 * and no wake-ups of a pool thread on a small machine. Keys are boxed as {@link Long}: a get allocates its key
 * (outside {@code -128..127}), a put its key. Server ids are few (one per real server), so their {@code Long}s are
 * shared through a small direct-mapped table instead of one per entry: 24 bytes less per entry, and a hit reads a
 * value that is usually in cache.
 *
 * <p>Eviction is Caffeine's W-TinyLFU, not LRU: a small LRU window (1 % of the maximum, adapted at run time)
 * admits new entries, and an entry leaving the window replaces the main space's victim only when it was used
 * more often. So under a scan of keys seen once, the most recent entries beyond the window are the ones dropped,
 * while frequently used entries survive. Expiry is exact to the ticker's nanosecond. Caffeine may exceed the
 * maximum for a moment under concurrent writes, until the writing threads run its maintenance.
 *
 * <p>Thread-safe. The constructor throws {@link IllegalArgumentException} for a non-positive timeout or
 * {@code maxEntries}; {@link #put} throws it for the server id {@link #NONE}; nothing else throws.
 */
final class CaffeineStore implements PersistenceStore {

    /** Slots of the table of shared server-id {@code Long}s; a power of two. */
    private static final int SHARED_IDS = 128;

    private final Cache<Long, Long> cache;
    /** Recently put server ids, by a hash of the id; raced on without harm ({@code Long} is immutable). */
    private final Long[] sharedIds = new Long[SHARED_IDS];

    /**
     * @param idleTimeout how long an entry lives after its last access, positive
     * @param maxEntries the most entries, at least 1
     * @param ticker the clock
     * @throws IllegalArgumentException for a timeout or maximum out of range
     */
    CaffeineStore(Duration idleTimeout, int maxEntries, Ticker ticker) {
        PersistenceStores.checkArguments(idleTimeout, maxEntries);
        Objects.requireNonNull(ticker, "ticker");
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterAccess(idleTimeout)
                .ticker(ticker::read)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public long get(long key) {
        Long server = cache.getIfPresent(key);
        return server == null ? NONE : server;
    }

    /** {@inheritDoc} @throws IllegalArgumentException when {@code serverId} is {@link #NONE} */
    @Override
    public void put(long key, long serverId) {
        PersistenceStores.checkServerId(serverId);
        cache.put(key, share(serverId));
    }

    /**
     * A {@code Long} of {@code serverId}: the same object as for earlier puts of it, unless both slots it may take
     * (two-way, by a hash of the id) have since been taken by other ids.
     */
    private Long share(long serverId) {
        int slot = (int) LongTableStore.hash(serverId, 0L) & (SHARED_IDS - 1);
        Long first = sharedIds[slot];
        if (first != null && first == serverId) {
            return first;
        }
        Long second = sharedIds[slot ^ 1];
        if (second != null && second == serverId) {
            return second;
        }
        Long shared = serverId;
        sharedIds[first == null || second != null ? slot : slot ^ 1] = shared;
        return shared;
    }

    @Override
    public boolean remove(long key) {
        return cache.asMap().remove(key) != null;
    }

    @Override
    public void removeServers(long[] serverIds) {
        long[] sorted = serverIds.clone();
        Arrays.sort(sorted);
        cache.asMap().values().removeIf(id -> Arrays.binarySearch(sorted, id) >= 0);
    }

    @Override
    public long size() {
        return cache.estimatedSize();
    }

    /** Always true for valid arguments: Caffeine's policy changes expiry and maximum in place. */
    @Override
    public boolean canReconfigure(Duration idleTimeout, int maxEntries) {
        return idleTimeout != null && idleTimeout.compareTo(Duration.ZERO) > 0 && maxEntries >= 1;
    }

    /** Sets Caffeine's expiry and maximum; a smaller maximum evicts (by W-TinyLFU) on this thread at once. */
    @Override
    public void reconfigure(Duration idleTimeout, int maxEntries) {
        PersistenceStores.checkArguments(idleTimeout, maxEntries);
        cache.policy().expireAfterAccess().orElseThrow().setExpiresAfter(idleTimeout);
        cache.policy().eviction().orElseThrow().setMaximum(maxEntries);
        cache.cleanUp();
    }

    @Override
    public String toString() {
        return "CaffeineStore{size=" + size() + '}';
    }
}
