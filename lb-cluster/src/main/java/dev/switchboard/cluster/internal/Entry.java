package dev.switchboard.cluster.internal;

/**
 * One mapping of a replicated table, or a removal on its way out ({@code serverId == NONE}). The key, server and
 * stamp never change; the access times do (written by request threads without a lock, a lost update only moves an
 * expiry by one access). Thread-safe in that sense.
 */
final class Entry {

    final long key;
    final long serverId;
    /** The write's stamp ({@link Stamps}): wall-clock milliseconds, a counter, the writing member's tag. */
    final long stamp;
    /** The table's ticker at the last access, in nanoseconds. */
    volatile long lastAccess;
    /** The table's ticker when this entry was last queued for the other members. */
    volatile long lastShipped;

    Entry(long key, long serverId, long stamp, long lastAccess) {
        this.key = key;
        this.serverId = serverId;
        this.stamp = stamp;
        this.lastAccess = lastAccess;
        this.lastShipped = lastAccess;
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
