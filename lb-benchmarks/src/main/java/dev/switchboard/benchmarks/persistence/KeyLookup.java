package dev.switchboard.benchmarks.persistence;

/**
 * The work every implementation in {@link PersistenceStoreBenchmark} does: look up the server id of the
 * {@code i}-th key of a precomputed sequence (the hits {@link PersistenceEntries#lookups} or the misses
 * {@link PersistenceEntries#misses}). Implementations are thread-safe.
 */
interface KeyLookup {

    /** The server id of lookup {@code i}, or 0 on a miss. */
    long get(int i);
}
