package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import java.time.Duration;

/** The store contract on {@link CaffeineStore}. */
class CaffeineStoreTest extends PersistenceStoreContract {

    @Override
    PersistenceStore create(Duration idleTimeout, int maxEntries, Ticker ticker) {
        return PersistenceStores.caffeine().create(idleTimeout, maxEntries, ticker);
    }
}
