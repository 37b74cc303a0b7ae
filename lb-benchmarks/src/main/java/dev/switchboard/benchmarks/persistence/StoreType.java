package dev.switchboard.benchmarks.persistence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.PersistenceStoreFactory;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.engine.internal.persist.PersistenceStores;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The implementations compared by {@link PersistenceStoreBenchmark} and {@link PersistenceStoreFootprint}: each
 * {@link #fill fills} its structure with every entry, then serves lookups through a {@link KeyLookup}.
 * Stores are created with {@link #MAX_ENTRIES} (room for the 1 M entries, so nothing is evicted) and an idle
 * timeout of one hour, on one of two clocks: {@code coarse}, a {@code CoarseTicker} refreshed from
 * {@code System.nanoTime()} every 250 ms by a timer thread (one volatile load per read: what the engine should
 * give its stores), or {@code Ticker.system()} itself (a clock call per lookup), for the types named so.
 */
public enum StoreType {

    /**
     * The budget's reference, no expiry: {@code ConcurrentHashMap<Long, Long>.get}. Keys are boxed once, in the
     * lookup sequence's order (as a request computes its key); values are the 16 server ids' {@code Long}s, shared,
     * so reading a value costs no cache miss. Presized, so the table is never resized while filling.
     */
    CONCURRENT_HASH_MAP {
        @Override
        Object fill(PersistenceEntries entries, Ticker coarse) {
            Map<Long, Long> shared = new HashMap<>();
            ConcurrentHashMap<Long, Long> map = new ConcurrentHashMap<>(entries.size() * 2);
            for (int i = 0; i < entries.size(); i++) {
                map.put(entries.keys[i], shared.computeIfAbsent(entries.servers[i], Long::valueOf));
            }
            return map;
        }

        @Override
        @SuppressWarnings("unchecked")
        KeyLookup lookup(Object filled, long[] sequence) {
            ConcurrentHashMap<Long, Long> map = (ConcurrentHashMap<Long, Long>) filled;
            Long[] keys = new Long[sequence.length];
            for (int j = 0; j < keys.length; j++) {
                keys[j] = Long.valueOf(sequence[j]);
            }
            return i -> {
                Long server = map.get(keys[i]);
                return server == null ? 0L : server;
            };
        }
    },
    /** Switchboard's {@code PersistenceStores.table()} on the coarse clock: {@code store.get(long)}. */
    TABLE {
        @Override
        Object fill(PersistenceEntries entries, Ticker coarse) {
            return fillStore(PersistenceStores.table(), coarse, entries);
        }
    },
    /** The same on {@code Ticker.system()}: a clock call per lookup. */
    TABLE_SYSTEM_TICKER {
        @Override
        Object fill(PersistenceEntries entries, Ticker coarse) {
            return fillStore(PersistenceStores.table(), Ticker.system(), entries);
        }
    },
    /**
     * Switchboard's {@code PersistenceStores.caffeine()} on the coarse clock: {@code maximumSize},
     * {@code expireAfterAccess}, executor {@code Runnable::run}; {@code store.get(long)} boxes the key.
     */
    CAFFEINE {
        @Override
        Object fill(PersistenceEntries entries, Ticker coarse) {
            return fillStore(PersistenceStores.caffeine(), coarse, entries);
        }
    },
    /** The same on {@code Ticker.system()}. */
    CAFFEINE_SYSTEM_TICKER {
        @Override
        Object fill(PersistenceEntries entries, Ticker coarse) {
            return fillStore(PersistenceStores.caffeine(), Ticker.system(), entries);
        }
    },
    /** Tuning check: the same Caffeine cache with Caffeine's default executor (the common pool), coarse clock. */
    CAFFEINE_DEFAULT_EXECUTOR {
        @Override
        Object fill(PersistenceEntries entries, Ticker coarse) {
            return fillStore((idle, max, ticker) -> caffeineStore(Caffeine.newBuilder()
                    .maximumSize(max).expireAfterAccess(idle).ticker(ticker::read).build()), coarse, entries);
        }
    },
    /**
     * Tuning check, not a valid store (no expiry): {@code maximumSize} only, executor {@code Runnable::run}. Any
     * expiry added to Caffeine (expire-after-access, or a timestamp in the value) costs at least this much.
     */
    CAFFEINE_SIZE_ONLY {
        @Override
        Object fill(PersistenceEntries entries, Ticker coarse) {
            return fillStore((idle, max, ticker) -> caffeineStore(Caffeine.newBuilder()
                    .maximumSize(max).executor(Runnable::run).build()), coarse, entries);
        }
    };

    /** Room for the 1,000,000 entries in every implementation (the table bounds each segment at max / 64). */
    public static final int MAX_ENTRIES = 1 << 20;
    static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

    /** A new structure holding every entry (what {@link PersistenceStoreFootprint} measures). */
    abstract Object fill(PersistenceEntries entries, Ticker coarse);

    /** Lookups of the keys of {@code sequence}, in order, over {@code filled} (the result of {@link #fill}). */
    KeyLookup lookup(Object filled, long[] sequence) {
        PersistenceStore store = (PersistenceStore) filled;
        return i -> store.get(sequence[i]);
    }

    private static PersistenceStore fillStore(PersistenceStoreFactory factory, Ticker ticker,
            PersistenceEntries entries) {
        PersistenceStore store = factory.create(IDLE_TIMEOUT, MAX_ENTRIES, ticker);
        for (int i = 0; i < entries.size(); i++) {
            store.put(entries.keys[i], entries.servers[i]);
        }
        return store;
    }

    /**
     * A minimal store over a Caffeine cache, for the tuning checks: the same calls as the engine's store, server
     * ids' {@code Long}s shared the same way.
     */
    private static PersistenceStore caffeineStore(Cache<Long, Long> cache) {
        Map<Long, Long> sharedIds = new ConcurrentHashMap<>();
        return new PersistenceStore() {
            @Override
            public long get(long key) {
                Long server = cache.getIfPresent(key);
                return server == null ? NONE : server;
            }

            @Override
            public void put(long key, long serverId) {
                cache.put(key, sharedIds.computeIfAbsent(serverId, Long::valueOf));
            }

            @Override
            public boolean remove(long key) {
                return cache.asMap().remove(key) != null;
            }

            @Override
            public long size() {
                return cache.estimatedSize();
            }
        };
    }
}
