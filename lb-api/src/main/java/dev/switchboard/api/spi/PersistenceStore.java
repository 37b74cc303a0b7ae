package dev.switchboard.api.spi;

/**
 * A table from persistence keys to real servers, with an idle timeout: an entry not read or written for longer
 * than the timeout is gone. One store serves one sub-service (or one virtual service when its sub-services share
 * persistence). Keys and server ids are 64-bit numbers: the engine derives keys from client addresses, session
 * IDs, cookie values or headers (a masked IPv4 address is the address itself, longer values are hashed), and a
 * server id from the real server's name, so entries survive a reconfiguration that keeps the name.
 *
 * <p>Called on the request path by many threads at once: implementations must be thread-safe, should not block
 * (a short lock per write is acceptable, never I/O) and should not allocate on {@link #get}. They must never
 * throw for any key.
 *
 * <pre>{@code
 * long server = store.get(key);          // NONE when absent or expired; a hit refreshes the idle time
 * if (server == PersistenceStore.NONE) store.put(key, chosenServerId);
 * }</pre>
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
}
