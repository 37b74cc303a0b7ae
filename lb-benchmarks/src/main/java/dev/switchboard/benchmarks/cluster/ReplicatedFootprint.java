package dev.switchboard.benchmarks.cluster;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.cluster.ClusterMember;
import dev.switchboard.engine.internal.persist.PersistenceStores;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Heap bytes per persistence entry: the engine's built-in table against lb-cluster's replicated store, for
 * {@code --entries N} entries (source-IP keys: distinct random IPv4 addresses tagged as the engine tags them, 8
 * server ids; one seed). Heap in use just after full collections ({@link #usedAfterFullGc}), {@value #RUNS} runs
 * per kind after one discarded, median and range printed:
 * <ul>
 *   <li>{@code local}: {@code PersistenceStores.table()} filled; minus the heap once it is dropped;</li>
 *   <li>{@code replicated}: one started member; its store filled, then 300 ms for the shipper to drain the outbox;
 *       minus the heap with the member started and the store empty. The writer's copy;</li>
 *   <li>{@code replicated-pair}: two members; A's store filled, until B's store holds every entry; minus the heap
 *       with both started and both stores empty. Both copies: printed per entry and per entry and member.</li>
 * </ul>
 * Members are started afresh for each run and closed after it. The key arrays stay reachable throughout (not
 * counted).
 *
 * <p>Run (a fixed heap and the serial collector, so that a full collection leaves exactly the live objects):
 * <pre>{@code
 * java -Xms3g -Xmx3g -XX:+UseSerialGC -cp lb-benchmarks/target/benchmarks.jar \
 *     dev.switchboard.benchmarks.cluster.ReplicatedFootprint --entries 100000 local replicated replicated-pair
 * }</pre>
 */
public final class ReplicatedFootprint {

    static final int RUNS = 5;
    private static final int MAX_ENTRIES = 1 << 22;
    private static final Duration IDLE = Duration.ofHours(1);

    /** The structure being measured: a static field, so that whether it is reachable does not depend on the JIT. */
    private static Object held;

    private ReplicatedFootprint() {
    }

    /**
     * @param args {@code --entries N} (default 1,000,000), then kinds: {@code local}, {@code replicated},
     *             {@code replicated-pair} (all when none)
     * @throws IllegalArgumentException naming an unknown kind or a bad entry count
     */
    public static void main(String[] args) throws Exception {
        int count = 1_000_000;
        int first = 0;
        if (args.length >= 2 && args[0].equals("--entries")) {
            count = Integer.parseInt(args[1].replace("_", "").replace(",", ""));
            if (count < 1 || count > MAX_ENTRIES) {
                throw new IllegalArgumentException("--entries: " + count + " (expected: 1.." + MAX_ENTRIES + ")");
            }
            first = 2;
        }
        String[] kinds = args.length == first ? new String[] {"local", "replicated", "replicated-pair"}
                : Arrays.copyOfRange(args, first, args.length);
        long[] keys = keys(count);
        System.out.printf(Locale.ROOT, "%,d entries%n", count);
        for (String kind : kinds) {
            measure(kind, keys);
        }
    }

    private static void measure(String kind, long[] keys) throws Exception {
        bytesPerEntry(kind, keys);
        double[] runs = new double[RUNS];
        for (int r = 0; r < RUNS; r++) {
            runs[r] = bytesPerEntry(kind, keys);
        }
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        String perMember = kind.equals("replicated-pair")
                ? String.format(Locale.ROOT, " (%.1f per member)", sorted[RUNS / 2] / 2) : "";
        System.out.printf(Locale.ROOT, "%-16s %8.1f bytes/entry%s (median of %d; min %.1f, max %.1f; runs %s)%n",
                kind, sorted[RUNS / 2], perMember, RUNS, sorted[0], sorted[RUNS - 1], Arrays.toString(runs));
    }

    private static double bytesPerEntry(String kind, long[] keys) throws Exception {
        return switch (kind) {
            case "local" -> local(keys);
            case "replicated" -> replicated(keys, false);
            case "replicated-pair" -> replicated(keys, true);
            default -> throw new IllegalArgumentException(
                    "kind: " + kind + " (expected: local, replicated or replicated-pair)");
        };
    }

    private static double local(long[] keys) {
        held = filledTable(keys); // no local variable: it would keep the table alive in an interpreted frame
        long with = usedAfterFullGc();
        held = null;
        long without = usedAfterFullGc();
        return (double) (with - without) / keys.length;
    }

    private static double replicated(long[] keys, boolean pair) throws Exception {
        try (LocalMembers members = new LocalMembers(Duration.ofMillis(50))) {
            ClusterMember a = members.start();
            PersistenceStore onA = a.persistenceStore("footprint").create(IDLE, MAX_ENTRIES, Ticker.system());
            PersistenceStore onB = null;
            if (pair) {
                ClusterMember b = members.start();
                onB = b.persistenceStore("footprint").create(IDLE, MAX_ENTRIES, Ticker.system());
            }
            long without = settledUsed();
            fill(onA, keys);
            if (onB != null) {
                awaitSize(onB, keys.length);
            }
            Thread.sleep(300); // a few batch intervals: A's outbox is drained
            long with = settledUsed();
            return (double) (with - without) / keys.length;
        }
    }

    private static PersistenceStore filledTable(long[] keys) {
        PersistenceStore store = PersistenceStores.table().create(IDLE, MAX_ENTRIES, Ticker.system());
        fill(store, keys);
        return store;
    }

    private static void fill(PersistenceStore store, long[] keys) {
        for (int i = 0; i < keys.length; i++) {
            store.put(keys[i], 1 + (i & 7));
        }
    }

    private static void awaitSize(PersistenceStore store, long size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (store.size() != size) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("B holds " + store.size() + " entries after 60 s (expected: " + size + ")");
            }
            Thread.sleep(20);
        }
    }

    /** {@code count} distinct IPv4 source-IP keys ({@code 1 << 40 | address}, as the engine's keys). */
    private static long[] keys(int count) {
        SplittableRandom random = new SplittableRandom(0x5EED_0014L);
        Set<Long> seen = new HashSet<>(count * 2);
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            long key;
            do {
                key = 1L << 40 | random.nextLong(1L << 32);
            } while (!seen.add(key));
            keys[i] = key;
        }
        return keys;
    }

    /**
     * {@link #usedAfterFullGc} once two readings 200 ms apart differ by less than 64 KiB (at most 20 readings): the
     * members of the previous run and the start of these leave garbage and buffers for a while after they return.
     */
    private static long settledUsed() throws InterruptedException {
        long previous = usedAfterFullGc();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(200);
            long now = usedAfterFullGc();
            if (Math.abs(now - previous) < 64 * 1024) {
                return Math.min(now, previous);
            }
            previous = now;
        }
        return previous;
    }

    /**
     * The least, over three full collections, of the heap in use just after the collection: the sum of every heap
     * pool's usage as the collector left it ({@code MemoryPoolMXBean.getCollectionUsage}), not the heap in use now,
     * which the members' threads move by whole allocation buffers (megabytes) between a collection and the read.
     */
    private static long usedAfterFullGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
                used += after == null ? 0 : after.getUsed();
            }
            least = Math.min(least, used);
        }
        return least;
    }
}
