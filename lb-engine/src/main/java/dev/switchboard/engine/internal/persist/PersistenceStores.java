package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.PersistenceStoreFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The built-in {@link PersistenceStoreFactory factories}: the purpose-built table (the default) and Caffeine.
 *
 * <pre>{@code
 * CoarseTicker clock = CoarseTicker.start(timer, Duration.ofMillis(250), Ticker.system());
 * PersistenceStore store = PersistenceStores.defaults().create(Duration.ofMinutes(45), 1_000_000, clock);
 * long server = store.get(key);
 * }</pre>
 *
 * <p>Which one: the table meets the budget of a hit at 1 M entries with expiry within twice a
 * {@code ConcurrentHashMap.get} on the same keys (1.1-1.2 times, given a {@link CoarseTicker}; a clock call per
 * lookup alone makes it 3 times), at 50 bytes per entry, and is LRU by sampling. Caffeine takes 15-20 times the
 * map's time per hit and 114 bytes per entry on this work, and evicts by frequency (W-TinyLFU), which is better
 * when a few clients come back often while many are seen once. See {@code docs/benchmarks.md, "Persistence stores"}.
 *
 * <p>The factories are stateless and thread-safe. {@code create} throws {@link IllegalArgumentException} for a
 * timeout that is not positive or {@code maxEntries < 1}, and {@link NullPointerException} for a null argument.
 */
public final class PersistenceStores {

    private PersistenceStores() {
    }

    /** The store that meets the performance budget: {@link #table()}. */
    public static PersistenceStoreFactory defaults() {
        return table();
    }

    /**
     * Segmented open-addressing tables of primitive longs with optimistic reads, whole-second idle time, sampled
     * LRU eviction and no background work; each store gets a random hash seed.
     */
    public static PersistenceStoreFactory table() {
        return (idleTimeout, maxEntries, ticker) ->
                new LongTableStore(idleTimeout, maxEntries, ticker, ThreadLocalRandom.current().nextLong());
    }

    /** A Caffeine cache ({@code maximumSize}, {@code expireAfterAccess}, maintenance on the calling thread). */
    public static PersistenceStoreFactory caffeine() {
        return CaffeineStore::new;
    }

    /** @throws IllegalArgumentException naming the first argument out of range */
    static void checkArguments(Duration idleTimeout, int maxEntries) {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
        }
    }

    /** The server id in a store's {@code put}: not {@link PersistenceStore#NONE}. */
    static void checkServerId(long serverId) {
        if (serverId == PersistenceStore.NONE) {
            throw new IllegalArgumentException("serverId: 0 (expected: not PersistenceStore.NONE)");
        }
    }
}
