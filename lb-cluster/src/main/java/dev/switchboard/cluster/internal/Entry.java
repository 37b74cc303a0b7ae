package dev.switchboard.cluster.internal;

/**
 * One mapping of a replicated table, or a removal on its way out ({@code serverId == NONE}). The key, server and
 * stamp never change; the access times do (written by request threads without a lock, a lost update only moves an
 * expiry by one access). Thread-safe in that sense.
 */
final class Entry {

    // Field order matters: HotSpot lays out fields of one size in declaration order, so the three a hit reads (key,
    // server, access time) are adjacent, 24 bytes that share a cache line in 3 cases out of 4 (a 56-byte entry
    // starts at any 8-byte boundary); spread over the whole entry, as before, they took two lines in every other hit.
    final long key;
    final long serverId;
    /** The table's ticker at the last access, in nanoseconds. */
    volatile long lastAccess;
    /** The table's ticker when this entry was last queued for the other members. */
    volatile long lastShipped;
    /** The write's stamp ({@link Stamps}): wall-clock milliseconds, a counter, the writing member's tag. */
    final long stamp;

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
