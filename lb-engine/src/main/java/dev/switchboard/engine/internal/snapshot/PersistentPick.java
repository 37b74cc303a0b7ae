package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.engine.internal.lease.EngineForward;
import dev.switchboard.engine.internal.persist.CompiledPersistence;
import dev.switchboard.engine.internal.persist.Keys;
import dev.switchboard.engine.internal.state.ServerState;
import dev.switchboard.engine.internal.state.ServiceCounters;
import dev.switchboard.engine.internal.trace.Trace;

/**
 * Step 6 of the way of a request for one sub-service: finds the server persistence keeps the client on (a valid
 * active cookie, else the first mode's table, else the fallback's), takes its slot if it may still serve
 * persistent clients (enabled or draining, health up, under its limit), and afterwards records where the client
 * went. Hashed modes (url-hash, query-param, host) keep no table: they pick by consistent hashing of their key.
 * Immutable (the stores are thread-safe); thread-safe.
 */
final class PersistentPick {

    static final int FROM_COOKIE = 1;
    static final int FROM_PRIMARY = 2;
    static final int FROM_FALLBACK = 3;

    private final CompiledPersistence persistence;
    private final Pool pool;
    private final Scheduler hashScheduler;
    private final ServiceCounters counters;
    /** Whether the persistence keeps entries (a cookie or a table), so that a lookup is a hit or a miss. */
    private final boolean counted;

    PersistentPick(CompiledPersistence persistence, Pool pool, Scheduler hashScheduler, ServiceCounters counters) {
        this.persistence = persistence;
        this.pool = pool;
        this.hashScheduler = hashScheduler;
        this.counters = counters;
        this.counted = persistence.insertsCookie() || persistence.primaryStore() != null
                || persistence.fallbackStore() != null;
    }

    CompiledPersistence persistence() {
        return persistence;
    }

    /**
     * The persistent server: {@code (source << 32) | index} with its slot taken (not in a dry run), or -1 when
     * the client has none or it may not be used now.
     */
    long find(long cookie, long primaryKey, long fallbackKey, Trace trace, boolean dryRun) {
        long id = PersistenceStore.NONE;
        int source = 0;
        if (cookie != 0) {
            id = cookie & Long.MAX_VALUE;
            source = FROM_COOKIE;
        } else if (primaryKey != Keys.NO_KEY && persistence.primaryStore() != null) {
            id = persistence.primaryStore().get(primaryKey);
            source = FROM_PRIMARY;
        }
        if (id == PersistenceStore.NONE && fallbackKey != Keys.NO_KEY && persistence.fallbackStore() != null) {
            id = persistence.fallbackStore().get(fallbackKey);
            source = FROM_FALLBACK;
        }
        if (id == PersistenceStore.NONE) {
            if (trace.enabled()) {
                trace.step("persistence " + persistence.mode().configName() + (persistence.insertsCookie()
                        ? ": no valid cookie" : ": no entry for this client")
                        + (persistence.fallback() == PersistenceMode.NONE ? ""
                                : " (nor in " + persistence.fallback().configName() + ")"));
            }
            if (counted && !dryRun) {
                counters.persistence(false);
            }
            return -1;
        }
        int i = pool.indexOfId(id);
        ServerState s = i < 0 ? null : pool.state(i);
        boolean usable = s != null && s.acceptsPersistent() && (dryRun || s.tryAcquire());
        if (trace.enabled()) {
            trace.step("persistence " + (source == FROM_FALLBACK ? persistence.fallback() : persistence.mode())
                    .configName() + ": client is on " + (s == null ? "a server no longer in the pool" : s.name())
                    + (usable ? ", kept there" : ", which cannot take it now: scheduling afresh"));
        }
        if (!dryRun) {
            counters.persistence(usable);
        }
        return usable ? ((long) source << 32) | i : -1;
    }

    /** The key to pick with for a hashed mode, or {@link Keys#NO_KEY} to use the sub-service's scheduler. */
    long hashKey(long primaryKey, long fallbackKey) {
        if (persistence.mode().isHashed() && primaryKey != Keys.NO_KEY) {
            return primaryKey;
        }
        return persistence.fallback().isHashed() ? fallbackKey : Keys.NO_KEY;
    }

    Scheduler hashScheduler() {
        return hashScheduler;
    }

    /**
     * Records that the client went to server {@code index}; {@code source} is how it was found (0: scheduled).
     *
     * @return the lease flags, with {@link EngineForward#INSERT_COOKIE} when the active cookie must be (re)set
     */
    int record(int index, int source, long cookie, long primaryKey, long fallbackKey, int flags) {
        long id = pool.id(index);
        PersistenceStore primary = persistence.primaryStore();
        if (primary != null && primaryKey != Keys.NO_KEY && source != FROM_PRIMARY) {
            primary.put(primaryKey, id);
        }
        PersistenceStore fallback = persistence.fallbackStore();
        if (fallback != null && fallbackKey != Keys.NO_KEY && source != FROM_FALLBACK && source != FROM_COOKIE) {
            fallback.put(fallbackKey, id);
        }
        if (persistence.insertsCookie()
                && (cookie == 0 || (cookie & Long.MAX_VALUE) != id || (cookie & Long.MIN_VALUE) != 0)) {
            flags |= EngineForward.INSERT_COOKIE;
        }
        return flags;
    }

    /**
     * Drops the entries of {@code primaryKey} and {@code fallbackKey} that still point at server {@code index}: a
     * connection to it failed, so the client's next attempt is scheduled afresh (a later success records it again).
     * An active cookie lives in the client and cannot be dropped; it is replaced once the server is not eligible.
     */
    void forget(int index, long primaryKey, long fallbackKey) {
        long id = pool.id(index);
        forget(persistence.primaryStore(), primaryKey, id);
        forget(persistence.fallbackStore(), fallbackKey, id);
    }

    private static void forget(PersistenceStore store, long key, long id) {
        if (store != null && key != Keys.NO_KEY && store.get(key) == id) {
            store.remove(key);
        }
    }
}
