package dev.switchboard.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The replicated table's map: ConcurrentHashMap's semantics for the methods it has, and lock-free reads that never miss. */
class EntryMapTest {

    private static Entry entry(long key, long server, long stamp) {
        return new Entry(key, server, stamp, 0);
    }

    @Test
    void merge_absentKey_putsTheEntry_presentKey_keepsWhatTheFunctionReturns() {
        EntryMap map = new EntryMap();
        Entry first = entry(7, 1, 10);
        assertThat(map.merge(7, first, Entry::newer)).isSameAs(first);
        assertThat(map.get(7)).isSameAs(first);

        Entry older = entry(7, 2, 5);
        assertThat(map.merge(7, older, Entry::newer)).isSameAs(first);
        Entry newer = entry(7, 3, 20);
        assertThat(map.merge(7, newer, Entry::newer)).isSameAs(newer);
        assertThat(map.get(7)).isSameAs(newer);
        assertThat(map.merge(7, entry(7, 4, 30), (o, n) -> null)).isNull();
        assertThat(map.get(7)).isNull();
        assertThat(map.size()).isZero();
    }

    @Test
    void keyZeroAndNegativeKeys_areOrdinaryKeys_notConfusedWithRemovedSlots() {
        EntryMap map = new EntryMap();
        for (long key : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            map.merge(key, entry(key, 9, 1), Entry::newer);
        }
        assertThat(map.remove(0)).isNotNull();
        assertThat(map.get(0)).isNull();
        assertThat(map.get(-1).serverId).isEqualTo(9);
        assertThat(map.get(Long.MIN_VALUE)).isNotNull();
        assertThat(map.get(Long.MAX_VALUE)).isNotNull();
        assertThat(map.size()).isEqualTo(3);
    }

    @Test
    void manyEntries_growAndChurn_everyLiveKeyFound_everyRemovedKeyMissing() {
        EntryMap map = new EntryMap();
        int n = 200_000;
        for (long k = 0; k < n; k++) {
            map.merge(k << 8, entry(k << 8, k + 1, 1), Entry::newer);
        }
        for (long k = 0; k < n; k += 2) {
            assertThat(map.remove(k << 8)).isNotNull();
        }
        for (long k = 0; k < n; k += 4) { // back into slots full of tombstones
            map.merge(k << 8, entry(k << 8, k + 2, 2), Entry::newer);
        }
        for (long k = 0; k < n; k++) {
            Entry e = map.get(k << 8);
            if (k % 2 == 1) {
                assertThat(e.serverId).isEqualTo(k + 1);
            } else if (k % 4 == 0) {
                assertThat(e.serverId).isEqualTo(k + 2);
            } else {
                assertThat(e).isNull();
            }
        }
        assertThat(map.size()).isEqualTo(n / 2 + n / 4);
        assertThat(map.values()).hasSize(n / 2 + n / 4);
    }

    @Test
    void computeIfPresent_andRemoveOfTheSameObject_onlyTouchTheEntryAsked() {
        EntryMap map = new EntryMap();
        Entry a = entry(1, 1, 1);
        map.merge(1, a, Entry::newer);
        assertThat(map.computeIfPresent(2, (k, old) -> null)).isNull();
        assertThat(map.remove(1, entry(1, 1, 1))).as("another object with the same fields").isFalse();
        assertThat(map.computeIfPresent(1, (k, old) -> old)).isSameAs(a);
        assertThat(map.remove(1, a)).isTrue();
        assertThat(map.computeIfPresent(1, (k, old) -> old)).isNull();
    }

    @Test
    void values_removeIfAndIteratorRemove_writeThrough() {
        EntryMap map = new EntryMap();
        for (long k = 1; k <= 1000; k++) {
            map.merge(k, entry(k, k % 3 == 0 ? 3 : 1, 1), Entry::newer);
        }
        assertThat(map.values().removeIf(e -> e.serverId == 3)).isTrue();
        assertThat(map.size()).isEqualTo(667);
        Iterator<Entry> it = map.values().iterator();
        Set<Long> seen = new HashSet<>();
        while (it.hasNext()) {
            Entry e = it.next();
            seen.add(e.key);
            if (e.key <= 100) {
                it.remove();
            }
        }
        assertThat(seen).hasSize(667);
        assertThat(map.size()).isEqualTo(667 - 67);
        assertThat(map.get(1)).isNull();
        assertThat(map.get(101)).isNotNull();
    }

    @Test
    void lockFreeReads_whileAWriterChurnsAndRebuilds_neverMissAStableKey() throws Exception {
        EntryMap map = new EntryMap();
        long[] stable = new long[4096];
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < stable.length; i++) {
            stable[i] = random.nextLong();
            map.merge(stable[i], entry(stable[i], 5, 1), Entry::newer);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong misses = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread t = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    Entry e = map.get(stable[i++ & (stable.length - 1)]);
                    if (e == null || e.serverId != 5) {
                        misses.incrementAndGet();
                    }
                    reads.incrementAndGet();
                }
            });
            t.start();
            readers.add(t);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        long churn = 1L << 62;
        int rounds = 0;
        while (System.nanoTime() - deadline < 0 && rounds < 200) {
            for (int i = 0; i < 5000; i++) {  // fills segments (rebuilds), then empties them (tombstones)
                map.merge(churn + i, entry(churn + i, 6, 1), Entry::newer);
            }
            for (int i = 0; i < 5000; i++) {
                map.remove(churn + i);
            }
            churn += 5000;
            rounds++;
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join(5000);
        }
        assertThat(reads.get()).isPositive();
        assertThat(misses.get()).isZero();
        assertThat(map.size()).isEqualTo(stable.length);
    }
}
