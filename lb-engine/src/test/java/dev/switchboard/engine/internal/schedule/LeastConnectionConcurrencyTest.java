package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Many threads picking, leasing and releasing on one pool while another thread drains and restores servers: the
 * least-connection schedulers (bounded scan above {@value BoundedScan#EXACT_POOL} servers, exact below) never pick
 * a server that is never eligible (down, or weight 0 for the weighted one), never return {@link Scheduler#NONE}
 * while eligible servers remain, and every count returns to zero once the leases are released.
 */
class LeastConnectionConcurrencyTest {

    private static final int THREADS = 4;
    private static final int PICKS_PER_THREAD = 100_000;
    private static final int OPEN_PER_THREAD = 64;

    @Test
    void leastConnection_4096Servers_fourThreads_invariantsHold() throws Exception {
        run(4096, false);
    }

    @Test
    void weightedLeastConnection_4096Servers_fourThreads_invariantsHold() throws Exception {
        run(4096, true);
    }

    @Test
    void leastConnection_48Servers_fourThreads_invariantsHold() throws Exception {
        run(48, false);
    }

    @Test
    void weightedLeastConnection_48Servers_fourThreads_invariantsHold() throws Exception {
        run(48, true);
    }

    private static void run(int size, boolean weighted) throws Exception {
        int[] weights = new int[size];
        for (int i = 0; i < size; i++) {
            weights[i] = weighted && i % 5 == 0 ? 0 : 1 + i % 4;
        }
        ConcurrentServerSet servers = new ConcurrentServerSet(weights);
        for (int i = 0; i < size; i += 7) {
            servers.eligible(i, false); // down for the whole test
        }
        SchedulerSettings settings = new SchedulerSettings(Schedulers.perThreadRandom(), 8);
        Scheduler scheduler = weighted
                ? new WeightedLeastConnectionScheduler(servers, settings, Schedulers.NO_PREVIOUS)
                : new LeastConnectionScheduler(servers, settings, Schedulers.NO_PREVIOUS);
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS + 1);
        try {
            Future<?> flapper = executor.submit(() -> flap(servers, done));
            List<Future<long[]>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 0x5EED_0100L + t;
                workers.add(executor.submit(() -> work(scheduler, servers, weights, new SplittableRandom(seed))));
            }
            long[] total = new long[size];
            for (Future<long[]> w : workers) {
                long[] counts = w.get(2, TimeUnit.MINUTES);
                for (int i = 0; i < size; i++) {
                    total[i] += counts[i];
                }
            }
            done.set(true);
            flapper.get(1, TimeUnit.MINUTES);
            long sum = 0;
            for (int i = 0; i < size; i++) {
                assertThat(servers.activeConnections(i)).as("active connections of %d", i).isZero();
                if (i % 7 == 0 || weights[i] == 0) {
                    assertThat(total[i]).as("picks of never-eligible server %d", i).isZero();
                }
                sum += total[i];
            }
            assertThat(sum).isEqualTo((long) THREADS * PICKS_PER_THREAD);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Picks, leases the pick, keeps up to {@value #OPEN_PER_THREAD} leases open, releases a random one. */
    private static long[] work(Scheduler scheduler, ConcurrentServerSet servers, int[] weights,
            SplittableRandom random) {
        long[] counts = new long[servers.size()];
        int[] open = new int[OPEN_PER_THREAD];
        int opened = 0;
        for (int k = 0; k < PICKS_PER_THREAD; k++) {
            int picked = scheduler.pick(servers, k);
            if (picked == Scheduler.NONE || picked % 7 == 0 || weights[picked] == 0) {
                throw new AssertionError("pick " + k + ": " + picked);
            }
            counts[picked]++;
            servers.lease(picked);
            if (opened < OPEN_PER_THREAD) {
                open[opened++] = picked;
            } else {
                int slot = random.nextInt(OPEN_PER_THREAD);
                servers.release(open[slot]);
                open[slot] = picked;
            }
        }
        for (int j = 0; j < opened; j++) {
            servers.release(open[j]);
        }
        return counts;
    }

    /** Drains and restores servers 1, 2 and 3 (never all of the pool) until told to stop. */
    private static void flap(ConcurrentServerSet servers, AtomicBoolean done) {
        for (long round = 0; !done.get() && round < 100_000_000L; round++) {
            int i = 1 + (int) (round % 3);
            servers.eligible(i, (round & 1) == 0);
            Thread.onSpinWait();
        }
        for (int i = 1; i <= 3; i++) {
            servers.eligible(i, true);
        }
    }
}
