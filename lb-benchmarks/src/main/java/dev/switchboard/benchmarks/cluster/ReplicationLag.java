package dev.switchboard.benchmarks.cluster;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.cluster.ClusterMember;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Replication lag between two members in this JVM (127.0.0.1, a real Hazelcast connection between them): a writer
 * thread puts new entries into member A's store at a fixed rate (default 10,000 a second, paced on
 * {@code System.nanoTime}, a few entries at a time), and this thread polls member B's store for them; the lag of an
 * entry is the time from just before its put on A to the first poll that sees it on B. Only B's public store API is
 * read: no hook in the product.
 *
 * <p>The poll checks the oldest entry not yet seen and, once it is there, every following one that is: A ships its
 * outbox in write order, the topic keeps one publisher's order and B applies a batch in order, so entries become
 * visible on B in write order. Between polls it parks for about {@value #POLL_PARK_MICROS} µs (in practice 50-100 µs
 * with Linux's timer slack): the resolution of the figures. The first {@code --warmup} seconds of entries are left
 * out. For each {@code --interval} (A's and B's batch interval) a new pair is started.
 *
 * <p>Run:
 * <pre>{@code
 * java -Xms1g -Xmx1g -cp lb-benchmarks/target/benchmarks.jar dev.switchboard.benchmarks.cluster.ReplicationLag \
 *     --rate 10000 --seconds 20 --warmup 5 --interval 50ms --interval 5ms
 * }</pre>
 */
public final class ReplicationLag {

    static final long POLL_PARK_MICROS = 20;
    private static final long KEY_BASE = 1L << 40;

    private ReplicationLag() {
    }

    /**
     * @param args {@code --rate N} (entries a second, default 10,000), {@code --seconds S} (measured, default 20),
     *             {@code --warmup S} (left out, default 5), {@code --interval D} (repeatable, e.g. {@code 50ms};
     *             default 50 ms and 5 ms)
     * @throws IllegalArgumentException naming a bad argument
     */
    public static void main(String[] args) throws Exception {
        int rate = 10_000;
        int seconds = 20;
        int warmup = 5;
        List<Duration> intervals = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + ": a value expected");
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--rate" -> rate = positive("--rate", v);
                case "--seconds" -> seconds = positive("--seconds", v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--interval" -> intervals.add(millis(v));
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]
                        + " (expected: --rate, --seconds, --warmup, --interval)");
            }
        }
        if (intervals.isEmpty()) {
            intervals = List.of(Duration.ofMillis(50), Duration.ofMillis(5));
        }
        System.out.printf(Locale.ROOT, "%,d new entries/s on A, %d s measured after %d s, lag until visible on B%n",
                rate, seconds, warmup);
        System.out.println("| batch interval | entries | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | writer behind, max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Duration interval : intervals) {
            run(interval, rate, warmup, seconds);
        }
    }

    private static void run(Duration interval, int rate, int warmup, int seconds) throws Exception {
        int total = rate * (warmup + seconds);
        long[] written = new long[total];
        long[] seen = new long[total];
        try (LocalMembers members = new LocalMembers(interval)) {
            ClusterMember a = members.start();
            ClusterMember b = members.start();
            PersistenceStore onA = a.persistenceStore("lag").create(Duration.ofHours(1), 1 << 22, Ticker.system());
            PersistenceStore onB = b.persistenceStore("lag").create(Duration.ofHours(1), 1 << 22, Ticker.system());
            Writer writer = new Writer(onA, written, rate);
            Thread t = new Thread(writer, "lag-writer");
            t.start();
            poll(onB, writer, seen, total);
            t.join();
            long late = writer.maxBehindNanos;
            report(interval, written, seen, rate * warmup, late);
        }
    }

    /** Records in {@code seen} when each entry written so far is first visible on {@code onB}, until all are. */
    private static void poll(PersistenceStore onB, Writer writer, long[] seen, int total) {
        int oldest = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos()
                + (long) total * 1_000_000_000L / writer.rate;
        while (oldest < total) {
            int count = writer.count;
            while (oldest < count && onB.get(KEY_BASE | oldest) != PersistenceStore.NONE) {
                seen[oldest++] = System.nanoTime();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("entry " + oldest + " of " + total + " never reached B");
            }
            LockSupport.parkNanos(POLL_PARK_MICROS * 1000);
        }
    }

    private static void report(Duration interval, long[] written, long[] seen, int from, long behind) {
        long[] lag = new long[written.length - from];
        for (int i = from; i < written.length; i++) {
            lag[i - from] = seen[i] - written[i];
        }
        Arrays.sort(lag);
        System.out.printf(Locale.ROOT, "| %d ms | %,d | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |%n",
                interval.toMillis(), lag.length, ms(at(lag, 0.50)), ms(at(lag, 0.90)), ms(at(lag, 0.99)),
                ms(at(lag, 0.999)), ms(lag[lag.length - 1]), ms(behind));
    }

    private static long at(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static int positive(String name, String v) {
        int n = Integer.parseInt(v.replace("_", "").replace(",", ""));
        if (n < 1) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: >= 1)");
        }
        return n;
    }

    private static Duration millis(String v) {
        if (!v.endsWith("ms")) {
            throw new IllegalArgumentException("--interval: " + v + " (expected: milliseconds, e.g. 50ms)");
        }
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }

    /** Puts entry {@code i} at {@code start + i / rate}, recording when; publishes its progress in {@link #count}. */
    private static final class Writer implements Runnable {
        final PersistenceStore store;
        final long[] written;
        final int rate;
        volatile int count;
        long maxBehindNanos;

        Writer(PersistenceStore store, long[] written, int rate) {
            this.store = store;
            this.written = written;
            this.rate = rate;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            int i = 0;
            while (i < written.length) {
                long now = System.nanoTime();
                while (i < written.length && start + (long) i * 1_000_000_000L / rate <= now) {
                    maxBehindNanos = Math.max(maxBehindNanos, now - (start + (long) i * 1_000_000_000L / rate));
                    written[i] = System.nanoTime();
                    store.put(KEY_BASE | i, 1 + (i & 7));
                    i++;
                }
                count = i;
                LockSupport.parkNanos(20_000);
            }
        }
    }
}
