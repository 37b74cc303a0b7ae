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
 * A persistence lookup hit at 1,000,000 live entries, the budget's reference and the stores side by side
 * ({@link StoreType}): {@code ConcurrentHashMap<Long, Long>.get} (no expiry), {@code PersistenceStores.table()}
 * and {@code PersistenceStores.caffeine()} (both with an idle timeout of one hour, each on a {@code CoarseTicker}
 * refreshed every 250 ms by a timer thread and on {@code Ticker.system()}, a clock call per lookup), plus two
 * Caffeine tuning checks.
 *
 * <p>Data ({@link PersistenceEntries}, seed {@value #SEED}): 1,000,000 distinct random IPv4 addresses as keys,
 * each mapped to one of 16 server ids, and a sequence of 2^22 lookups drawn uniformly from all keys (98 % of
 * the keys occur); every lookup hits (checked in setup). Each thread walks the sequence from its own offset.
 * Stores are created with room for 2^20 entries, so nothing is evicted. {@link #get} runs on one thread,
 * {@link #getTwoThreads} on two threads sharing the store; times are per lookup per thread. The memory figures
 * come from {@link PersistenceStoreFootprint}.
 *
 * <p>Lookups are independent, so the CPU overlaps the cache misses of consecutive ones; a clock call
 * ({@code System.nanoTime()}, {@code lfence}/{@code rdtscp} in the vDSO) waits for earlier loads and undoes that
 * overlap, which is why the {@code *_SYSTEM_TICKER} types are shown apart.
 *
 * <p>Run:
 * <pre>{@code
 * java -jar lb-benchmarks/target/benchmarks.jar PersistenceStoreBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * java -jar lb-benchmarks/target/benchmarks.jar PersistenceStoreBenchmark -p type=CONCURRENT_HASH_MAP,TABLE,CAFFEINE \
 *     -f 1 -wi 3 -i 5 -w 1s -r 1s
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class PersistenceStoreBenchmark {

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

        KeyLookup lookup;
        ScheduledExecutorService timer;

        @Setup
        public void setUp() {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "coarse-ticker");
                thread.setDaemon(true);
                return thread;
            });
            Ticker coarse = CoarseTicker.start(timer, COARSE_PERIOD, Ticker.system());
            PersistenceEntries entries = PersistenceEntries.generate(ENTRIES, LOOKUP_BITS, SEED);
            lookup = type.lookup(type.fill(entries, coarse), entries);
            for (int i = 0; i < entries.lookups.length; i++) {
                if (lookup.get(i) == 0L) {
                    throw new IllegalStateException(type + ": lookup " + i + " missed");
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
}
