package dev.switchboard.api.spi;

/**
 * Picks one eligible server of a pool. Called concurrently on the request path: must be lock-free, must not
 * allocate, must not throw. One instance serves one pool (see {@link SchedulerFactory}).
 */
public interface Scheduler {

    /** Returned when no server is eligible. */
    int NONE = -1;

    /**
     * Picks a server.
     *
     * @param servers the pool
     * @param hash a hash of the client's address, for hashing schedulers (0 when the request has none)
     * @return the index of an eligible server, or {@link #NONE}
     */
    int pick(ServerSet servers, long hash);
}
