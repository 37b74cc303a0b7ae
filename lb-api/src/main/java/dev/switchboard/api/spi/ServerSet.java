package dev.switchboard.api.spi;

/**
 * The servers of one pool as a {@link Scheduler} sees them at one moment: indexes are stable for the life of the
 * pool. Reads are lock-free and may change between calls (another thread takes or releases a slot).
 */
public interface ServerSet {

    /** Full ramp, see {@link #rampPermille(int)}. */
    int FULL_RAMP = 1000;

    /** The number of servers, eligible or not. */
    int size();

    /** Whether server {@code i} may take a new client now (health up, enabled, weight above 0, under its limit). */
    boolean isEligible(int i);

    /** The configured weight of server {@code i}. */
    int weight(int i);

    /**
     * Slow start: how far server {@code i} has ramped up, 1..1000 (1000 = full weight). Schedulers multiply the
     * weight by it, or for unweighted schedulers treat it as the share to take.
     */
    int rampPermille(int i);

    /** The active leases of server {@code i}. */
    int activeConnections(int i);

    /** A stable 64-bit identity of server {@code i} (from its name), for consistent hashing. */
    long id(int i);
}
