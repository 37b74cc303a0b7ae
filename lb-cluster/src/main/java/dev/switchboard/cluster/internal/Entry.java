package dev.switchboard.cluster.internal;

/**
 * One mapping of a replicated table as shipped (a value read from the {@link EntryTable} by the shipper), or a
 * removal ({@code serverId == NONE}) kept in an {@link EntryMap} of tombstones or removed servers. The key, server
 * and stamp never change; the access time does (a later access of the same write, see {@link #newer}).
 * Thread-safe in that sense.
 */
final class Entry {

    final long key;
    final long serverId;
    /** The table's ticker at the last access, in nanoseconds. */
    volatile long lastAccess;
    /** The write's stamp ({@link Stamps}): wall-clock milliseconds, a counter, the writing member's tag. */
    final long stamp;

    Entry(long key, long serverId, long stamp, long lastAccess) {
        this.key = key;
        this.serverId = serverId;
        this.stamp = stamp;
        this.lastAccess = lastAccess;
    }

    /** Last write wins: the one with the greater stamp; on a tie (the same write, shipped again) the later access. */
    static Entry newer(Entry old, Entry incoming) {
        if (incoming.stamp > old.stamp) {
            return incoming;
        }
        if (incoming.stamp == old.stamp) {
            if (incoming.lastAccess - old.lastAccess > 0) {
                old.lastAccess = incoming.lastAccess;
            }
            return old;
        }
        return old;
    }
}
