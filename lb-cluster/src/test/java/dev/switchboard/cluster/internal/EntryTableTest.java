package dev.switchboard.cluster.internal;

import static dev.switchboard.api.spi.PersistenceStore.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The replicated table's inline entries: merge by stamp, deletion without tombstones, reads that never miss. */
class EntryTableTest {

    private static final long IDLE = 1_000;
    private static final int SHIFT = 8;

    private static Map<Long, long[]> contents(EntryTable table) {
        Map<Long, long[]> seen = new HashMap<>();
        table.forEach((key, server, access, stamp) -> seen.put(key, new long[] {server, access, stamp}));
        return seen;
    }

    @Test
    void put_takesANewerStamp_ignoresAnOlderOne_andOnATieOnlyALaterAccess() {
        EntryTable table = new EntryTable();
        table.put(7, 1, 10, 100, false);
        table.put(7, 2, 5, 900, false);
        assertThat(table.get(7, 100, IDLE, SHIFT)).as("an older write").isEqualTo(1);

        table.put(7, 3, 10, 50, false);
        assertThat(contents(table).get(7L)).as("the same write, an earlier access").containsExactly(1, 100, 10);
        table.put(7, 3, 10, 150, false);
        assertThat(contents(table).get(7L)).as("the same write, a later access").containsExactly(1, 150, 10);
        table.put(7, 4, 20, 160, false);
        assertThat(contents(table).get(7L)).containsExactly(4, 160, 20);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void get_pastTheIdleTimeout_isAMiss_andAHitMovesTheAccessTime() {
        EntryTable table = new EntryTable();
        table.put(7, 1, 10, 100, false);

        assertThat(table.get(7, 100 + IDLE, IDLE, SHIFT)).isEqualTo(1);
        assertThat(table.get(7, 100 + 2 * IDLE, IDLE, SHIFT)).isEqualTo(1);
        assertThat(table.get(7, 100 + 3 * IDLE + 1, IDLE, SHIFT)).isEqualTo(NONE);
        assertThat(table.remove(7, 100 + 3 * IDLE + 1, IDLE)).as("there, but idle").isFalse();
        assertThat(table.size()).isZero();
    }

    @Test
    void keyZeroAndNegativeKeys_areOrdinaryKeys() {
        EntryTable table = new EntryTable();
        for (long key : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            table.put(key, 9, 1, 0, false);
        }
        assertThat(table.remove(0, 0, IDLE)).isTrue();
        assertThat(table.get(0, 0, IDLE, SHIFT)).isEqualTo(NONE);
        assertThat(table.get(-1, 0, IDLE, SHIFT)).isEqualTo(9);
        assertThat(table.get(Long.MIN_VALUE, 0, IDLE, SHIFT)).isEqualTo(9);
        assertThat(table.get(Long.MAX_VALUE, 0, IDLE, SHIFT)).isEqualTo(9);
        assertThat(table.size()).isEqualTo(3);
    }

    @Test
    void manyEntries_growAndChurn_everyLiveKeyFound_everyRemovedKeyMissing() {
        EntryTable table = new EntryTable();
        int n = 200_000;
        for (long k = 0; k < n; k++) {
            table.put(k << 8, k + 1, 1, 0, false);
        }
        for (long k = 0; k < n; k += 2) {
            assertThat(table.remove(k << 8, 0, IDLE)).isTrue();
        }
        for (long k = 0; k < n; k += 4) {
            table.put(k << 8, k + 2, 2, 0, false);
        }
        for (long k = 0; k < n; k++) {
            long expected = k % 2 == 1 ? k + 1 : k % 4 == 0 ? k + 2 : NONE;
            assertThat(table.get(k << 8, 0, IDLE, SHIFT)).as("key %d", k).isEqualTo(expected);
        }
        assertThat(table.size()).isEqualTo(n / 2 + n / 4);
        assertThat(contents(table)).hasSize(n / 2 + n / 4);
    }

    @Test
    void removeIf_andRemoveUpTo_onlyTouchTheEntriesAsked() {
        EntryTable table = new EntryTable();
        for (long k = 1; k <= 10_000; k++) {
            table.put(k, k % 3 == 0 ? 3 : 1, k, 0, false);
        }
        assertThat(table.removeIf((key, server, access, stamp) -> server == 3)).isTrue();
        assertThat(table.removeIf((key, server, access, stamp) -> server == 3)).isFalse();
        table.removeUpTo(1, 0);
        table.removeUpTo(2, 2);

        Map<Long, long[]> left = contents(table);
        assertThat(left).hasSize(10_000 - 3_333 - 1).containsKey(1L).doesNotContainKey(2L).doesNotContainKey(3L);
        assertThat(table.size()).isEqualTo(left.size());
        for (long k = 1; k <= 10_000; k++) {
            assertThat(table.get(k, 0, IDLE, SHIFT)).isEqualTo(k % 3 == 0 || k == 2 ? NONE : 1);
        }
    }

    @Test
    void evictOldest_removesExactlyThatManyOfTheOldestAccesses() {
        EntryTable table = new EntryTable();
        for (long k = 0; k < 1_000; k++) {
            table.put(k, 1, 1, k / 10, false); // ten entries per access time
        }
        table.evictOldest(255);

        Map<Long, long[]> left = contents(table);
        assertThat(left).hasSize(745);
        assertThat(left.values()).allSatisfy(e -> assertThat(e[1]).isGreaterThanOrEqualTo(25));
        assertThat(left.keySet().stream().filter(k -> k < 260)).hasSize(5);
    }

    @Test
    void drain_shipsQueuedKeys_withTheirCurrentEntries_andAHitInANewWindowQueuesANote() {
        EntryTable table = new EntryTable();
        table.put(1, 5, 10, 0, true);
        table.put(2, 5, 10, 0, false);
        List<Entry> out = new ArrayList<>();
        assertThat(table.drain(out, 10)).isEqualTo(1);
        assertThat(out.get(0).key).isEqualTo(1);

        assertThat(table.get(2, (1 << SHIFT) - 1, IDLE, SHIFT)).isEqualTo(5);
        assertThat(table.drain(out, 10)).as("same window").isZero();
        assertThat(table.get(2, 1 << SHIFT, IDLE, SHIFT)).isEqualTo(5);
        assertThat(table.drain(out, 10)).as("next window").isEqualTo(1);
        assertThat(out.get(1).key).isEqualTo(2);
        assertThat(out.get(1).lastAccess).isEqualTo(1 << SHIFT);
    }

    @Test
    void lockFreeReads_whileAWriterChurnsRebuildsAndSweeps_neverMissAStableKey() throws Exception {
        EntryTable table = new EntryTable();
        long[] stable = new long[4096];
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < stable.length; i++) {
            stable[i] = random.nextLong() & ~1L; // even: the churning keys are odd
            table.put(stable[i], 5, 1, 0, false);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong misses = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread t = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    if (table.get(stable[i++ & (stable.length - 1)], i & 1023, Long.MAX_VALUE, SHIFT) != 5) {
                        misses.incrementAndGet();
                    }
                    reads.incrementAndGet();
                }
            });
            t.start();
            readers.add(t);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        long churn = 1;
        int rounds = 0;
        while (System.nanoTime() - deadline < 0 && rounds < 200) {
            for (int i = 0; i < 5000; i++) { // fills segments (rebuilds), then empties them (backward shifts)
                table.put(churn + 2L * i, 6, 1, 0, true);
            }
            for (int i = 0; i < 5000; i += 2) {
                table.remove(churn + 2L * i, 0, IDLE);
            }
            table.removeIf((key, server, access, stamp) -> server == 6);
            table.drain(new ArrayList<>(), Integer.MAX_VALUE);
            churn += 10_000;
            rounds++;
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join(5000);
        }
        assertThat(reads.get()).isPositive();
        assertThat(misses.get()).isZero();
        assertThat(table.size()).isEqualTo(stable.length);
    }
}
