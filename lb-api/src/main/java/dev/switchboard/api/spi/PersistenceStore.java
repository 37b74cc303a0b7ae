package dev.switchboard.api.spi;

import java.time.Duration;

/**
 * A table from persistence keys to real servers, with an idle timeout: an entry not read or written for longer
 * than the timeout is gone. One store serves one sub-service (or one virtual service when its sub-services share
 * persistence). Keys and server ids are 64-bit numbers: the engine derives keys from client addresses, session
 * IDs, cookie values or headers (a masked IPv4 address is the address itself, longer values are hashed), and a
 * server id from the real server's name, so entries survive a reconfiguration that keeps the name.
 *
 * <p>Which version of the request the keys are read from: the request as the virtual service's request rules
 * (both phases, {@link dev.switchboard.api.RulePhase}) left it, after normalization: the rewritten path
 * ({@code url-hash}), the rewritten host ({@code host}), the headers with those rules' edits ({@code header},
 * {@code super-http}, {@code server-cookie}, {@code active-cookie}); the query ({@code query-param}), the client
 * address ({@code source-ip}) and the TLS session ID are the client's, since no rule changes them. The sub-service's
 * own request rules run after the server is chosen, so they never change a key or the server a hashed mode picks.
 *
 * <p>Called on the request path by many threads at once: implementations must be thread-safe, should not block
 * (a short lock per write is acceptable, never I/O) and should not allocate on {@link #get}. They must never
 * throw for any key.
 *
 * <pre>{@code
 * long server = store.get(key);          // NONE when absent or expired; a hit refreshes the idle time
 * if (server == PersistenceStore.NONE) store.put(key, chosenServerId);
 * }</pre>
 *
 * <p>A reconfiguration that changes only the idle timeout or the bound of a persistence keeps its store when the
 * store can change them in place ({@link #canReconfigure}, {@link #reconfigure}); otherwise the engine creates a new
 * store, and the entries of the old one are lost. When a kept store's owner loses real servers, the engine asks it to
 * drop their entries ({@link #removeServers}).
 */
public interface PersistenceStore {

    /** No server: returned by {@link #get} on a miss; never a valid server id. */
    long NONE = 0L;

    /** The server id stored for {@code key}, or {@link #NONE}; a hit counts as an access (refreshes idle time). */
    long get(long key);

    /** Maps {@code key} to {@code serverId} (not {@link #NONE}), replacing any earlier mapping. */
    void put(long key, long serverId);

    /** Removes the mapping of {@code key}. @return whether there was one */
    boolean remove(long key);

    /** The number of live entries (approximate under concurrency; expired entries may count until swept). */
    long size();

    /**
     * Whether {@link #reconfigure} can give this store {@code idleTimeout} and {@code maxEntries} in place. Asked on
     * the control plane while a new configuration is compiled; must not change anything. The default, false,
     * makes the engine create a new store (with no entries) when either changes.
     */
    default boolean canReconfigure(Duration idleTimeout, int maxEntries) {
        return false;
    }

    /**
     * Changes the idle timeout and the bound in place, keeping the entries: the new timeout applies to every entry
     * from now on (one idle for longer than it is gone), and a smaller bound evicts down to it at once. Called on the
     * control plane, once the configuration that asks for it has been accepted and only after
     * {@link #canReconfigure} answered true for the same arguments; requests may use the store meanwhile.
     *
     * @throws IllegalArgumentException for a timeout that is not positive or {@code maxEntries < 1}
     * @throws UnsupportedOperationException when the store cannot (the default)
     */
    default void reconfigure(Duration idleTimeout, int maxEntries) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot be reconfigured in place");
    }

    /**
     * Drops every entry that maps to one of {@code serverIds}: real servers that a reconfiguration which kept this
     * store removed from every pool the store serves (the ids as the engine derives them from the servers' names).
     * Called on the control plane once the new configuration is accepted, before it is published; requests may use
     * the store meanwhile, and an entry a request writes for such a server in that window may stay (it expires as
     * usual). The array is a fresh copy the store may keep; it is never empty.
     *
     * <p>The default does nothing: those entries then live until their idle timeout, and the engine, which finds no
     * server with such an id, schedules their clients afresh. A store shared with other instances should drop them
     * on every instance.
     */
    default void removeServers(long[] serverIds) {
    }
}
