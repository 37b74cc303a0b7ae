package dev.switchboard.engine.internal.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.spi.PersistenceStoreFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PersistenceStoresTest {

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void defaults_create_returnsTheTable() {
        assertThat(PersistenceStores.defaults().create(Duration.ofMinutes(45), 1_000, ticker))
                .isInstanceOf(LongTableStore.class);
    }

    @Test
    void table_create_returnsTheTable() {
        assertThat(PersistenceStores.table().create(Duration.ofMinutes(45), 1_000, ticker))
                .isInstanceOf(LongTableStore.class);
    }

    @Test
    void caffeine_create_returnsTheCaffeineStore() {
        assertThat(PersistenceStores.caffeine().create(Duration.ofMinutes(45), 1_000, ticker))
                .isInstanceOf(CaffeineStore.class);
    }

    @Test
    void create_zeroOrNegativeTimeout_throwsNamingTheTimeout() {
        for (PersistenceStoreFactory factory : factories()) {
            assertThatThrownBy(() -> factory.create(Duration.ZERO, 10, ticker))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("idleTimeout: PT0S (expected: > 0)");
            assertThatThrownBy(() -> factory.create(Duration.ofSeconds(-1), 10, ticker))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("idleTimeout: PT-1S (expected: > 0)");
        }
    }

    @Test
    void create_maxEntriesBelowOne_throwsNamingMaxEntries() {
        for (PersistenceStoreFactory factory : factories()) {
            assertThatThrownBy(() -> factory.create(Duration.ofSeconds(1), 0, ticker))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxEntries: 0 (expected: >= 1)");
        }
    }

    @Test
    void create_nullTicker_throwsNamingTheTicker() {
        for (PersistenceStoreFactory factory : factories()) {
            assertThatThrownBy(() -> factory.create(Duration.ofSeconds(1), 10, null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("ticker");
        }
    }

    @Test
    void create_oneEntry_keepsOnlyTheLastPut() {
        for (PersistenceStoreFactory factory : factories()) {
            var store = factory.create(Duration.ofSeconds(1), 1, ticker);
            store.put(1, 11);
            store.put(2, 22);

            assertThat(store.size()).isEqualTo(1);
            assertThat(store.get(1) + store.get(2)).as("%s", store).isIn(11L, 22L);
        }
    }

    private static PersistenceStoreFactory[] factories() {
        return new PersistenceStoreFactory[] {PersistenceStores.table(), PersistenceStores.caffeine()};
    }
}
