package dev.switchboard.engine.internal.persist;

import static dev.switchboard.api.spi.PersistenceStore.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The store contract on {@link LongTableStore}, and what is particular to the table. */
class LongTableStoreTest extends PersistenceStoreContract {

    private static final long SEED = 0x5EED_7AB1EL;

    @Override
    PersistenceStore create(Duration idleTimeout, int maxEntries, Ticker ticker) {
        return new LongTableStore(idleTimeout, maxEntries, ticker, SEED);
    }

    private LongTableStore table(int maxEntries) {
        return new LongTableStore(Duration.ofHours(1), maxEntries, ticker, SEED);
    }

    @Test
    void segmentCount_maxEntries_aboutOnePer64UpTo64() {
        assertThat(LongTableStore.segmentCount(1)).isEqualTo(1);
        assertThat(LongTableStore.segmentCount(127)).isEqualTo(1);
        assertThat(LongTableStore.segmentCount(128)).isEqualTo(2);
        assertThat(LongTableStore.segmentCount(1_000)).isEqualTo(8);
        assertThat(LongTableStore.segmentCount(1_000_000)).isEqualTo(64);
        assertThat(LongTableStore.segmentCount(Integer.MAX_VALUE)).isEqualTo(64);
    }

    @Test
    void timeoutSeconds_fractionalOrTinyTimeout_roundsUpToWholeSeconds() {
        assertThat(LongTableStore.timeoutSeconds(Duration.ofSeconds(10))).isEqualTo(10);
        assertThat(LongTableStore.timeoutSeconds(Duration.ofMillis(10_001))).isEqualTo(11);
        assertThat(LongTableStore.timeoutSeconds(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(LongTableStore.timeoutSeconds(Duration.ofDays(1_000_000))).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void reconfigure_fewerEntriesThanSegments_isRefused_theStoreUnchanged() {
        LongTableStore store = table(1_000); // 8 segments
        store.put(1, server(1));
        assertThat(store.canReconfigure(Duration.ofHours(1), 8)).isTrue();
        assertThat(store.canReconfigure(Duration.ofHours(1), 7)).isFalse();
        assertThatThrownBy(() -> store.reconfigure(Duration.ofHours(1), 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEntries: 7");
        assertThat(store.get(1)).isEqualTo(server(1));
    }

    @Test
    void reconfigure_smallerBound_splitsExactly_soTheStoreNeverHoldsMore() {
        LongTableStore store = table(1_000);
        for (long key = 0; key < 1_000; key++) {
            store.put(key, server(key));
        }
        store.reconfigure(Duration.ofHours(1), 13);
        assertThat(store.size()).isEqualTo(13);
        for (long key = 1_000; key < 2_000; key++) {
            store.put(key, server(key));
        }
        assertThat(store.size()).isEqualTo(13);
    }

    @Test
    void maxSlots_capacity_smallestPowerOfTwoOfTwiceIt() {
        assertThat(TableSegment.maxSlots(1)).isEqualTo(2);
        assertThat(TableSegment.maxSlots(125)).isEqualTo(256);
        assertThat(TableSegment.maxSlots(15_625)).isEqualTo(32_768);
        assertThat(TableSegment.maxSlots(16_384)).isEqualTo(32_768);
    }

    @Test
    void slots_fewEntriesInLargeStore_followEntriesNotMaxEntries() {
        LongTableStore store = table(1_000_000);
        for (long key = 0; key < 1_000; key++) {
            store.put(key, server(key));
        }

        assertThat(store.segments()).isEqualTo(64);
        assertThat(store.slots()).isLessThanOrEqualTo(64 * 64);
    }

    @Test
    void put_threeTimesMaxEntries_fillsEverySegmentToItsShare() {
        LongTableStore store = table(1_000);

        for (long key = 0; key < 3_000; key++) {
            store.put(key, server(key));
        }

        assertThat(store.size()).isEqualTo(1_000);
    }

    @Test
    void put_threeTimesMaxEntriesOneSecondApart_keepsTheLastFifteenPuts() {
        LongTableStore store = table(1_000);

        for (long key = 0; key < 3_000; key++) {
            ticker.advance(Duration.ofSeconds(1));
            store.put(key, server(key));
        }

        for (long key = 3_000 - (TableSegment.SAMPLE - 1); key < 3_000; key++) {
            assertThat(store.get(key)).as("key %s", key).isEqualTo(server(key));
        }
    }

    @Test
    void put_afterReadsOneSecondApart_keepsEntriesReadSinceFewerThanSixteenAccesses() {
        LongTableStore store = table(1_000);
        for (long key = 0; key < 3_000; key++) {
            ticker.advance(Duration.ofSeconds(1));
            store.put(key, server(key));
        }
        List<Long> read = new ArrayList<>();
        for (long key = 0; key < 3_000 && read.size() < 8; key++) {
            ticker.advance(Duration.ofSeconds(1));
            if (store.get(key) != NONE) {
                read.add(key);
            }
        }

        for (long key = 10_000; key < 10_007; key++) { // 8 reads + 7 puts: 15 accesses newer than the rest
            ticker.advance(Duration.ofSeconds(1));
            store.put(key, server(key));
        }

        assertThat(read).hasSize(8).allSatisfy(key -> assertThat(store.get(key)).isEqualTo(server(key)));
    }

    @Test
    void put_threeTimesMaxEntriesOneSecondApart_keepsMostOfTheNewestHalf() {
        LongTableStore store = table(1_000);
        for (long key = 0; key < 3_000; key++) {
            ticker.advance(Duration.ofSeconds(1));
            store.put(key, server(key));
        }

        long newestHalfKept = 0;
        long oldestThirdKept = 0;
        for (long key = 0; key < 3_000; key++) {
            boolean kept = store.get(key) != NONE;
            newestHalfKept += kept && key >= 2_500 ? 1 : 0;
            oldestThirdKept += kept && key < 1_000 ? 1 : 0;
        }

        // with this seed: 500 of the newest 500 kept, 0 of the oldest 1000 (Caffeine: 29 and 477, by frequency)
        assertThat(newestHalfKept).isGreaterThanOrEqualTo(475);
        assertThat(oldestThirdKept).isLessThanOrEqualTo(50);
    }

    @Test
    void get_keysDifferingOnlyInHighBits_allFound() {
        LongTableStore store = table(4_096);
        for (long i = 1; i <= 2_000; i++) {
            store.put(i << 40, server(i));
        }

        for (long i = 1; i <= 2_000; i++) {
            assertThat(store.get(i << 40)).isEqualTo(server(i));
        }
        assertThat(store.size()).isEqualTo(2_000);
    }

    @Test
    void operations_randomOnOneThread_matchAReferenceMap() {
        LongTableStore store = table(256);
        Map<Long, Long> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(0x5EED_0001L);

        for (int n = 0; n < 50_000; n++) {
            long key = random.nextInt(200);
            if (random.nextInt(3) == 0) {
                assertThat(store.remove(key)).isEqualTo(reference.remove(key) != null);
            } else {
                long server = random.nextBoolean() ? server(key) : otherServer(key);
                store.put(key, server);
                reference.put(key, server);
            }
            if (n % 500 == 0) {
                for (long k = 0; k < 200; k++) {
                    assertThat(store.get(k)).as("key %s", k).isEqualTo(reference.getOrDefault(k, NONE));
                }
            }
        }
        assertThat(store.size()).isEqualTo(reference.size());
    }

    @Test
    void get_concurrentWritesToOneSegment_neverReadsATornEntry() throws Exception {
        LongTableStore store = new LongTableStore(Duration.ofSeconds(5), 100, ticker, SEED);
        assertThat(store.segments()).isEqualTo(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long seed = 0x5EED_1000L + t;
                results.add(pool.submit(() -> writeOneSegment(store, seed, Integer.MAX_VALUE, deadline)));
                results.add(pool.submit(() -> readOneSegment(store, seed, Integer.MAX_VALUE, deadline)));
            }
            for (Future<Integer> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.size()).isLessThanOrEqualTo(100);
    }

    /** Puts (3 in 4, evicting: 300 keys share 100 places) and removes; moves the clock so that reads refresh. */
    private int writeOneSegment(LongTableStore store, long seed, int ops, long deadline) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < ops && (n % 1024 != 0 || System.nanoTime() < deadline); n++) {
            long key = random.nextInt(300) - 150;
            if (random.nextInt(4) == 0) {
                store.remove(key);
            } else {
                store.put(key, random.nextBoolean() ? server(key) : otherServer(key));
            }
            if (n % 2_048 == 0) {
                ticker.advance(Duration.ofSeconds(1));
            }
        }
        return ops;
    }

    private static int readOneSegment(LongTableStore store, long seed, int ops, long deadline) {
        SplittableRandom random = new SplittableRandom(~seed);
        int hits = 0;
        for (int n = 0; n < ops && (n % 1024 != 0 || System.nanoTime() < deadline); n++) {
            long key = random.nextInt(300) - 150;
            long server = store.get(key);
            if (server != NONE && server != server(key) && server != otherServer(key)) {
                throw new AssertionError("key " + key + " returned " + server);
            }
            hits += server == NONE ? 0 : 1;
        }
        return hits;
    }
}
