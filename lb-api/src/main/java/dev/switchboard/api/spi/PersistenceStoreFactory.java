package dev.switchboard.api.spi;

import java.time.Duration;

/**
 * Creates a {@link PersistenceStore}; called on the control plane when a configuration is compiled (a store
 * whose owner keeps its name is carried over instead).
 *
 * <pre>{@code
 * PersistenceStoreFactory mine = (idleTimeout, maxEntries, ticker) -> new MyStore(idleTimeout, maxEntries, ticker);
 * }</pre>
 */
@FunctionalInterface
public interface PersistenceStoreFactory {

    /**
     * A store.
     *
     * @param idleTimeout how long an entry lives after its last access
     * @param maxEntries the most entries; past it the store evicts (the built-in table: about the least recently used; Caffeine: by frequency and recency)
     * @param ticker the engine's clock
     */
    PersistenceStore create(Duration idleTimeout, int maxEntries, Ticker ticker);
}
