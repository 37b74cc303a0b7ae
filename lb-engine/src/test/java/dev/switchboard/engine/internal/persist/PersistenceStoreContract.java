package dev.switchboard.engine.internal.persist;

import static dev.switchboard.api.spi.PersistenceStore.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link PersistenceStore} contract, run against each built-in store through the SPI only. Server ids encode
 * their key ({@link #server}), so a value read for the wrong key shows.
 */
abstract class PersistenceStoreContract {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    final FakeTicker ticker = new FakeTicker();

    /** The store under test. */
    abstract PersistenceStore create(Duration idleTimeout, int maxEntries, Ticker ticker);

    /** A server id for {@code key}; never NONE for keys in -2^40..2^40. */
    static long server(long key) {
        return key * 31 + 7;
    }

    /** A second server id for {@code key}, distinct from every {@link #server}. */
    static long otherServer(long key) {
        return key * 31 + 8;
    }

    @Test
    void get_absentKey_returnsNone() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);

        assertThat(store.get(42)).isEqualTo(NONE);
        assertThat(store.size()).isZero();
    }

    @Test
    void removeServers_dropsTheirEntries_andKeepsTheOthers() {
        PersistenceStore store = create(TIMEOUT, 1000, ticker);
        for (long key = 1; key <= 300; key++) {
            store.put(key, 100 + key % 3); // servers 100, 101, 102
        }

        store.removeServers(new long[] {102, 100, 999});

        for (long key = 1; key <= 300; key++) {
            assertThat(store.get(key)).as("key %d", key).isEqualTo(key % 3 == 1 ? 101 : NONE);
        }
        assertThat(store.size()).isEqualTo(100);
        store.put(3, 100);
        assertThat(store.get(3)).as("a server put again after its removal").isEqualTo(100);
    }

    @Test
    void get_afterPut_returnsServer() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);

        store.put(42, server(42));

        assertThat(store.get(42)).isEqualTo(server(42));
        assertThat(store.get(43)).isEqualTo(NONE);
        assertThat(store.size()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, Long.MIN_VALUE, Long.MAX_VALUE, -1L, -42L, 0xC0A8_0001L})
    void get_specialKeys_workLikeAnyOther(long key) {
        PersistenceStore store = create(TIMEOUT, 100, ticker);
        store.put(key + 1, 99);

        store.put(key, -5);

        assertThat(store.get(key)).isEqualTo(-5);
        assertThat(store.get(key + 1)).isEqualTo(99);
        assertThat(store.remove(key)).isTrue();
        assertThat(store.get(key)).isEqualTo(NONE);
        assertThat(store.get(key + 1)).isEqualTo(99);
    }

    @Test
    void put_existingKey_replacesServer() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);
        store.put(7, server(7));

        store.put(7, otherServer(7));

        assertThat(store.get(7)).isEqualTo(otherServer(7));
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void put_serverIdNone_throwsIllegalArgument() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);

        assertThatThrownBy(() -> store.put(1, NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serverId: 0");
    }

    @Test
    void remove_presentKey_returnsTrueAndForgetsIt() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);
        store.put(1, server(1));
        store.put(2, server(2));

        assertThat(store.remove(1)).isTrue();

        assertThat(store.get(1)).isEqualTo(NONE);
        assertThat(store.get(2)).isEqualTo(server(2));
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.remove(1)).isFalse();
    }

    @Test
    void remove_absentKey_returnsFalse() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);

        assertThat(store.remove(5)).isFalse();
    }

    @Test
    void size_manyPutsAndRemoves_countsLiveEntries() {
        PersistenceStore store = create(TIMEOUT, 1_000, ticker);
        for (long key = -300; key < 300; key++) {
            store.put(key, server(key));
        }
        for (long key = -300; key < 300; key += 3) {
            store.remove(key);
        }

        assertThat(store.size()).isEqualTo(400);
        for (long key = -300; key < 300; key++) {
            assertThat(store.get(key)).isEqualTo((key + 300) % 3 == 0 ? NONE : server(key));
        }
    }

    @Test
    void get_justBeforeIdleTimeout_returnsServer() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);
        store.put(1, server(1));

        ticker.advance(TIMEOUT.minusMillis(1));

        assertThat(store.get(1)).isEqualTo(server(1));
    }

    @Test
    void get_afterIdleTimeout_returnsNone() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);
        store.put(1, server(1));

        ticker.advance(TIMEOUT.plusSeconds(1).plusNanos(1)); // the table counts whole seconds: up to 1 s more

        assertThat(store.get(1)).isEqualTo(NONE);
        assertThat(store.remove(1)).isFalse();
    }

    @Test
    void get_hit_refreshesIdleTime() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);
        store.put(1, server(1));

        ticker.advance(Duration.ofSeconds(9));
        assertThat(store.get(1)).isEqualTo(server(1));
        ticker.advance(Duration.ofSeconds(9)); // 18 s after the put, 9 s after the hit
        assertThat(store.get(1)).isEqualTo(server(1));
        ticker.advance(Duration.ofSeconds(11).plusNanos(1));

        assertThat(store.get(1)).isEqualTo(NONE);
    }

    @Test
    void put_expiredKey_storesNewMapping() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);
        store.put(1, server(1));
        ticker.advance(TIMEOUT.multipliedBy(2));

        store.put(1, otherServer(1));

        assertThat(store.get(1)).isEqualTo(otherServer(1));
    }

    @Test
    void size_expiredEntriesThenMorePuts_dropsExpiredEntries() {
        PersistenceStore store = create(TIMEOUT, 1_000, ticker);
        for (long key = 0; key < 200; key++) {
            store.put(key, server(key));
        }
        ticker.advance(TIMEOUT.multipliedBy(2));

        for (long key = 1_000; key < 1_400; key++) {
            store.put(key, server(key));
        }

        assertThat(store.size()).isEqualTo(400);
    }

    @Test
    void reconfigure_longerTimeout_keepsEntries_whichThenLiveLonger() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);
        store.put(1, server(1));
        assertThat(store.canReconfigure(TIMEOUT.multipliedBy(3), 100)).isTrue();

        store.reconfigure(TIMEOUT.multipliedBy(3), 100);
        ticker.advance(TIMEOUT.multipliedBy(2));

        assertThat(store.get(1)).as("idle for twice the old timeout, within the new one").isEqualTo(server(1));
    }

    @Test
    void reconfigure_shorterTimeout_appliesToEntriesAlreadyThere() {
        PersistenceStore store = create(TIMEOUT.multipliedBy(6), 100, ticker);
        store.put(1, server(1));
        store.put(2, server(2));

        store.reconfigure(TIMEOUT, 100);
        ticker.advance(TIMEOUT.minusSeconds(2));
        assertThat(store.get(2)).isEqualTo(server(2));
        ticker.advance(TIMEOUT.minusSeconds(2));

        assertThat(store.get(1)).as("idle past the new timeout").isEqualTo(NONE);
        assertThat(store.get(2)).as("read within it").isEqualTo(server(2));
    }

    @Test
    void reconfigure_smallerBound_evictsDownToIt_atOnce_andKeepsTheRest() {
        PersistenceStore store = create(Duration.ofHours(1), 1_000, ticker);
        for (long key = 0; key < 1_000; key++) {
            store.put(key, server(key));
        }

        store.reconfigure(Duration.ofHours(1), 100);

        assertThat(store.size()).isLessThanOrEqualTo(100).isGreaterThan(50);
        int kept = 0;
        for (long key = 0; key < 1_000; key++) {
            long id = store.get(key);
            assertThat(id).isIn(NONE, server(key));
            kept += id == NONE ? 0 : 1;
        }
        assertThat(kept).isEqualTo((int) store.size());
        for (long key = 1_000; key < 1_300; key++) {
            store.put(key, server(key));
            assertThat(store.size()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void reconfigure_largerBound_keepsEntries_andHoldsMore() {
        PersistenceStore store = create(Duration.ofHours(1), 100, ticker);
        for (long key = 0; key < 100; key++) {
            store.put(key, server(key));
        }

        store.reconfigure(Duration.ofHours(1), 1_000);
        for (long key = 100; key < 1_000; key++) {
            store.put(key, server(key));
        }

        assertThat(store.size()).isEqualTo(1_000);
        assertThat(store.get(0)).isEqualTo(server(0));
    }

    @Test
    void reconfigure_invalidArguments_throwIllegalArgument() {
        PersistenceStore store = create(TIMEOUT, 100, ticker);
        assertThat(store.canReconfigure(Duration.ZERO, 100)).isFalse();
        assertThat(store.canReconfigure(TIMEOUT, 0)).isFalse();
        assertThatThrownBy(() -> store.reconfigure(Duration.ofSeconds(-1), 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> store.reconfigure(TIMEOUT, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEntries");
    }

    @Test
    void put_threeTimesMaxEntries_keepsSizeWithinMaxEntries() {
        PersistenceStore store = create(TIMEOUT.multipliedBy(1_000), 1_000, ticker);

        for (long key = 0; key < 3_000; key++) {
            store.put(key, server(key));
            assertThat(store.size()).isLessThanOrEqualTo(1_000);
        }

        assertThat(store.get(2_999)).isEqualTo(server(2_999));
    }

    @Test
    void put_threeTimesMaxEntries_keepsAnEntryThatIsReadOften() {
        PersistenceStore store = create(Duration.ofHours(1), 1_000, ticker);
        store.put(-1, server(-1));

        for (long key = 0; key < 3_000; key++) {
            ticker.advance(Duration.ofSeconds(1));
            store.put(key, server(key));
            if (key % 10 == 0) {
                assertThat(store.get(-1)).isEqualTo(server(-1));
            }
        }

        assertThat(store.get(-1)).isEqualTo(server(-1));
    }

    @Test
    void operations_fourThreadsOnOverlappingKeys_neverReturnAnotherKeysServer() throws Exception {
        PersistenceStore store = create(Duration.ofSeconds(30), 512, ticker);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = 0x5EED_0000L + t;
                results.add(pool.submit(() -> mixedOperations(store, ticker, seed, 200_000, deadline)));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        store.put(5_000, server(5_000));
        assertThat(store.size()).isLessThanOrEqualTo(512);
    }

    /**
     * Runs up to {@code ops} mixed operations (6 gets, 3 puts, 1 remove in 10) on keys -1024..1023, moving the
     * ticker on by a second every 4096 operations so that entries expire and hits refresh.
     *
     * @return the number of hits
     * @throws AssertionError when a get returns a server id that was never put for its key
     */
    static int mixedOperations(PersistenceStore store, FakeTicker ticker, long seed, int ops, long deadline) {
        SplittableRandom random = new SplittableRandom(seed);
        int hits = 0;
        for (int n = 0; n < ops && (n % 1024 != 0 || System.nanoTime() < deadline); n++) {
            if (n % 4_096 == 0) {
                ticker.advance(Duration.ofSeconds(1));
            }
            long key = random.nextInt(-1_024, 1_024);
            int op = random.nextInt(10);
            if (op < 6) {
                long server = store.get(key);
                if (server != NONE && server != server(key) && server != otherServer(key)) {
                    throw new AssertionError("key " + key + " returned " + server);
                }
                hits += server == NONE ? 0 : 1;
            } else if (op < 9) {
                store.put(key, random.nextBoolean() ? server(key) : otherServer(key));
            } else {
                store.remove(key);
            }
        }
        return hits;
    }
}
