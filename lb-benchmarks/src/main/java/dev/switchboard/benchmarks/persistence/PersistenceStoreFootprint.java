package dev.switchboard.benchmarks.persistence;

import dev.switchboard.api.spi.Ticker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Heap bytes per entry of each {@link StoreType} holding 1,000,000 entries, or as many as {@code --entries} says
 * (the data of {@link PersistenceStoreBenchmark}, same seed): the heap in use after full collections with a new
 * {@link StoreType#fill filled} structure held in a static field, minus the heap in use after full collections
 * once the field is cleared, divided by the entry count; {@value #RUNS} runs per type (after one discarded
 * warm-up run), median and range printed. The key and value arrays the structures are filled from stay reachable
 * throughout, so they are not counted; what a structure allocates (boxed keys and values, nodes, tables) is.
 *
 * <p>Run (a fixed heap and the serial collector, so that a full collection leaves exactly the live objects):
 * <pre>{@code
 * java -Xms3g -Xmx3g -XX:+UseSerialGC -cp lb-benchmarks/target/benchmarks.jar \
 *     dev.switchboard.benchmarks.persistence.PersistenceStoreFootprint [--entries N] [TYPE...]
 * java -Xms3g -Xmx3g -XX:+UseSerialGC -cp lb-benchmarks/target/benchmarks.jar \
 *     dev.switchboard.benchmarks.persistence.PersistenceStoreFootprint --entries 10000 CONCURRENT_HASH_MAP TABLE CAFFEINE
 * }</pre>
 */
public final class PersistenceStoreFootprint {

    static final int RUNS = 5;

    /** The structure being measured: a static field, so that whether it is reachable does not depend on the JIT. */
    private static Object held;

    private PersistenceStoreFootprint() {
    }

    /**
     * @param args {@code --entries N} (default 1,000,000), then the {@link StoreType} names to measure (all when none)
     * @throws IllegalArgumentException naming an unknown type or a bad entry count
     */
    public static void main(String[] args) {
        int count = PersistenceStoreBenchmark.ENTRIES;
        int first = 0;
        if (args.length >= 2 && args[0].equals("--entries")) {
            count = Integer.parseInt(args[1].replace("_", "").replace(",", ""));
            if (count < 1 || count > StoreType.MAX_ENTRIES) {
                throw new IllegalArgumentException("--entries: " + count + " (expected: 1.." + StoreType.MAX_ENTRIES + ")");
            }
            first = 2;
        }
        PersistenceEntries entries = PersistenceEntries.generate(count, 1, PersistenceStoreBenchmark.SEED);
        StoreType[] types = args.length == first
                ? StoreType.values()
                : Arrays.stream(args, first, args.length).map(StoreType::valueOf).toArray(StoreType[]::new);
        System.out.printf(Locale.ROOT, "%,d entries%n", count);
        for (StoreType type : types) {
            measure(type, entries);
        }
    }

    private static void measure(StoreType type, PersistenceEntries entries) {
        bytesPerEntry(type, entries);
        double[] runs = new double[RUNS];
        for (int r = 0; r < RUNS; r++) {
            runs[r] = bytesPerEntry(type, entries);
        }
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-26s %8.1f bytes/entry (median of %d; min %.1f, max %.1f; runs %s)%n",
                type, sorted[RUNS / 2], RUNS, sorted[0], sorted[RUNS - 1], Arrays.toString(runs));
    }

    private static double bytesPerEntry(StoreType type, PersistenceEntries entries) {
        held = type.fill(entries, Ticker.system());
        long with = usedAfterFullGc();
        held = null;
        long without = usedAfterFullGc();
        return (double) (with - without) / entries.size();
    }

    private static long usedAfterFullGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
