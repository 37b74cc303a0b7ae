package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RoundRobinSchedulerTest {

    @Test
    void pick_consecutivePicks_takeServersInTurn() {
        TestServerSet servers = TestServerSet.ofSize(5);
        RoundRobinScheduler scheduler = new RoundRobinScheduler(servers);
        int first = scheduler.pick(servers, 0);

        for (int k = 1; k < 12; k++) {
            assertThat(scheduler.pick(servers, 0)).isEqualTo((first + k) % 5);
        }
    }

    @Test
    void pick_allEligible_spreadsEvenly() {
        TestServerSet servers = TestServerSet.ofSize(16);

        long[] counts = Picks.count(new RoundRobinScheduler(servers), servers, 100_000);

        for (long count : counts) {
            assertThat(count).isCloseTo(6_250, within(62L));
        }
    }

    @Test
    void pick_oneIneligible_othersShareItsTurnsEvenly() {
        TestServerSet servers = TestServerSet.ofSize(4).eligible(1, false);

        long[] counts = Picks.count(new RoundRobinScheduler(servers), servers, 90_000);

        assertThat(counts[1]).isZero();
        assertThat(counts[0]).isCloseTo(30_000, within(300L));
        assertThat(counts[2]).isCloseTo(30_000, within(300L));
        assertThat(counts[3]).isCloseTo(30_000, within(300L));
    }

    @Test
    void pick_slowStartingServer_getsItsRampOfAShare() {
        TestServerSet servers = TestServerSet.ofSize(4).ramp(3, 100);

        long[] counts = Picks.count(new RoundRobinScheduler(servers), servers, 100_000);

        // 0.1 / (3 + 0.1)
        assertThat(Picks.share(counts, 3)).isCloseTo(0.1 / 3.1, within(0.004));
        assertThat(Picks.share(counts, 0)).isCloseTo(1 / 3.1, within(0.004));
    }

    @Test
    void pick_everyEligibleServerRampingAndPassed_stillPicksOne() {
        TestServerSet servers = TestServerSet.ofSize(3).ramp(0, 1).ramp(1, 1).eligible(2, false);
        RoundRobinScheduler scheduler = new RoundRobinScheduler(servers);

        for (int k = 0; k < 1_000; k++) {
            assertThat(scheduler.pick(servers, 0)).isIn(0, 1);
        }
    }

    @Test
    void pick_fourThreads_spreadsEvenlyWithoutErrors() throws Exception {
        TestServerSet servers = TestServerSet.ofSize(16);
        RoundRobinScheduler scheduler = new RoundRobinScheduler(servers);
        int threads = 4;
        int picksPerThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<long[]> task = () -> {
                    start.await();
                    return Picks.count(scheduler, servers, picksPerThread);
                };
                results.add(executor.submit(task));
            }
            start.countDown();
            long[] total = new long[16];
            for (Future<long[]> result : results) {
                long[] counts = result.get(30, TimeUnit.SECONDS);
                for (int i = 0; i < total.length; i++) {
                    total[i] += counts[i];
                }
            }

            long even = (long) threads * picksPerThread / 16;
            for (long count : total) {
                assertThat(count).isCloseTo(even, within(even / 50));
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
