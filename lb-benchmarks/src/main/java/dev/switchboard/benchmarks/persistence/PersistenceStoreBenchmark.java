package dev.switchboard.benchmarks.persistence;

import dev.switchboard.api.spi.Ticker;
import dev.switchboard.engine.internal.persist.CoarseTicker;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A persistence lookup, hit and miss, at 10,000 and 1,000,000 live entries ({@code @Param entries}): the budget's
 * reference and the stores side by side ({@link StoreType}, one adapter {@link KeyLookup}):
 * {@code ConcurrentHashMap<Long, Long>.get} (no expiry), {@code PersistenceStores.table()} and
 * {@code PersistenceStores.caffeine()} (both with an idle timeout of one hour, each on a {@code CoarseTicker}
 * refreshed every 250 ms by a timer thread and on {@code Ticker.system()}, a clock call per lookup), plus two
 * Caffeine tuning checks.
 *
 * <p>Data ({@link PersistenceEntries}, seed {@value #SEED}): {@code entries} distinct random IPv4 addresses as keys,
 * each mapped to one of 16 server ids; a sequence of 2^22 lookups drawn uniformly from all keys (every one hits,
 * checked in setup) and a sequence of 2^22 random addresses that are not keys (every one misses, checked in
 * setup). Each thread walks a sequence from its own offset. Stores are created with room for 2^20 entries, so
 * nothing is evicted.
 *
 * <ul>
 *   <li>{@link #get}: a hit, one thread;</li>
 *   <li>{@link #getTwoThreads}: a hit, two threads sharing the store (times per lookup per thread; scaling ratio
 *       {@code 2 * t1 / t2});</li>
 *   <li>{@link #miss}: a miss, one thread (what every first request of a new client costs).</li>
 * </ul>
 * Memory per entry is measured by {@link PersistenceStoreFootprint} (heap after forced full collections).
 *
 * <p>Lookups are independent, so the CPU overlaps the cache misses of consecutive ones; a clock call
 * ({@code System.nanoTime()}, {@code lfence}/{@code rdtscp} in the vDSO) waits for earlier loads and undoes that
 * overlap, which is why the {@code *_SYSTEM_TICKER} types are shown apart.
 *
 * <p>Run:
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar PersistenceStoreBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * java -jar lb-benchmarks/target/benchmarks.jar PersistenceStoreBenchmark -p type=CONCURRENT_HASH_MAP,TABLE,CAFFEINE \
 *     -p entries=1000000 -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc -rf json -rff persistence.json
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class PersistenceStoreBenchmark {

    /** The entry count of the budget line (and the default of {@link PersistenceStoreFootprint}). */
    static final int ENTRIES = 1_000_000;
    static final int LOOKUP_BITS = 22;
    static final long SEED = 0x5EED_0010L;
    static final Duration COARSE_PERIOD = Duration.ofMillis(250);

    /** The filled structure, shared by every thread of a run. */
    @State(Scope.Benchmark)
    public static class Store {
        @Param({"CONCURRENT_HASH_MAP", "TABLE", "TABLE_SYSTEM_TICKER", "CAFFEINE", "CAFFEINE_SYSTEM_TICKER",
                "CAFFEINE_DEFAULT_EXECUTOR", "CAFFEINE_SIZE_ONLY"})
        StoreType type;

        @Param({"10000", "1000000"})
        int entries;

        KeyLookup lookup;
        KeyLookup misses;
        ScheduledExecutorService timer;

        @Setup
        public void setUp() {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "coarse-ticker");
                thread.setDaemon(true);
                return thread;
            });
            Ticker coarse = CoarseTicker.start(timer, COARSE_PERIOD, Ticker.system());
            PersistenceEntries data = PersistenceEntries.generate(entries, LOOKUP_BITS, SEED);
            Object filled = type.fill(data, coarse);
            lookup = type.lookup(filled, data.lookups);
            misses = type.lookup(filled, data.misses);
            for (int i = 0; i < data.lookups.length; i++) {
                if (lookup.get(i) == 0L) {
                    throw new IllegalStateException(type + ": lookup " + i + " missed");
                }
                if (misses.get(i) != 0L) {
                    throw new IllegalStateException(type + ": absent key " + i + " hit");
                }
            }
        }

        @TearDown
        public void tearDown() {
            timer.shutdownNow();
        }
    }

    /** One thread's position in the lookup sequence. */
    @State(Scope.Thread)
    public static class Cursor {
        int position;

        @Setup
        public void setUp(ThreadParams thread) {
            position = thread.getThreadIndex() << (LOOKUP_BITS - 1);
        }

        int next() {
            position = (position + 1) & ((1 << LOOKUP_BITS) - 1);
            return position;
        }
    }

    @Benchmark
    @Threads(1)
    public long get(Store store, Cursor cursor) {
        return store.lookup.get(cursor.next());
    }

    @Benchmark
    @Threads(2)
    public long getTwoThreads(Store store, Cursor cursor) {
        return store.lookup.get(cursor.next());
    }

    @Benchmark
    @Threads(1)
    public long miss(Store store, Cursor cursor) {
        return store.misses.get(cursor.next());
    }
}
