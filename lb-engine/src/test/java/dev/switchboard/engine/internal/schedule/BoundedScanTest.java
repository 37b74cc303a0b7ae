package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.spi.Scheduler;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The least-connection schedulers in pools above {@value BoundedScan#EXACT_POOL} servers, where a pick compares
 * {@value BoundedScan#CANDIDATES} eligible servers from a sliding position instead of the whole pool.
 */
class BoundedScanTest {

    private static final SchedulerSettings ONE_STRIPE = new SchedulerSettings(Schedulers.perThreadRandom(), 1);

    @Test
    void pick_poolOf64_isExact() {
        TestServerSet servers = loaded(64, 5).active(50, 0);

        assertThat(leastConnection(servers).pick(servers, 0)).isEqualTo(50);
        assertThat(weightedLeastConnection(servers).pick(servers, 0)).isEqualTo(50);
    }

    @Test
    void pick_poolOf65_comparesTheSixteenFromItsPosition() {
        // One stripe: pick k starts at server k. Server 50 is the least loaded; a pick sees it only when it
        // starts at 35..50, and then takes it; every other pick takes its first server (all tied at 5).
        TestServerSet servers = loaded(65, 5).active(50, 0);

        long[] counts = Picks.count(leastConnection(servers), servers, 65);
        long[] weighted = Picks.count(weightedLeastConnection(servers), servers, 65);

        assertThat(counts[50]).isEqualTo(BoundedScan.CANDIDATES);
        assertThat(counts[0]).isEqualTo(1);
        assertThat(counts[40]).isZero();
        assertThat(weighted).containsExactly(counts);
    }

    @Test
    void pick_exactCandidates_findsTheLeastLoadedOf4096() {
        TestServerSet servers = loaded(4096, 5).active(3000, 0);

        Scheduler exact = new LeastConnectionScheduler(servers, ONE_STRIPE, Schedulers.NO_PREVIOUS,
                Integer.MAX_VALUE);

        assertThat(exact.pick(servers, 0)).isEqualTo(3000);
    }

    @Test
    void pick_blockOfIneligibleServers_stepsOverItToEligibleOnes() {
        TestServerSet servers = loaded(4096, 5);
        for (int i = 0; i < 3000; i++) {
            servers.eligible(i, false).active(i, 0);
        }

        for (Scheduler scheduler : new Scheduler[] {leastConnection(servers), weightedLeastConnection(servers)}) {
            long[] counts = Picks.count(scheduler, servers, 10_000);
            assertThat(Arrays.stream(counts, 0, 3000).sum()).as(scheduler.toString()).isZero();
            assertThat(Arrays.stream(counts, 3000, 4096).sum()).isEqualTo(10_000);
        }
    }

    @Test
    void pick_oneEligibleServerOf4096_findsIt_noneEligible_none() {
        TestServerSet servers = TestServerSet.ofSize(4096).allEligible(false).eligible(17, true);

        assertThat(leastConnection(servers).pick(servers, 0)).isEqualTo(17);
        assertThat(weightedLeastConnection(servers).pick(servers, 0)).isEqualTo(17);
        servers.eligible(17, false);
        assertThat(leastConnection(servers).pick(servers, 0)).isEqualTo(Scheduler.NONE);
        assertThat(weightedLeastConnection(servers).pick(servers, 0)).isEqualTo(Scheduler.NONE);
    }

    @Test
    void pick_weightZeroServersInALargePool_neverPickedNorCounted() {
        int[] weights = new int[1024];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i % 2 == 0 ? 0 : 1 + i % 5;
        }
        TestServerSet servers = TestServerSet.ofWeights(weights);

        long[] counts = Picks.countWithConnections(weightedLeastConnection(servers), servers, 100_000, 8_000,
                new SplittableRandom(7));

        for (int i = 0; i < weights.length; i += 2) {
            assertThat(counts[i]).as("server %d of weight 0", i).isZero();
        }
    }

    @Test
    void pick_steadyLoadOn1024Servers_spreadWithinOneOfTheExactScan() {
        // 1,024 servers, 16,384 connections open at a time (16 each on average), 400,000 picks, each pick opening
        // a connection and closing a random open one: the spread of active counts (most - least) of the bounded
        // scan against the exact one, same seed (2 and 3 connections; a window sliding by one position per pick
        // instead of the golden-ratio stride left 5).
        int spreadExact = spreadAfterSteadyLoad(Integer.MAX_VALUE);
        int spreadBounded = spreadAfterSteadyLoad(BoundedScan.CANDIDATES);

        assertThat(spreadExact).isLessThanOrEqualTo(2);
        assertThat(spreadBounded).isLessThanOrEqualTo(spreadExact + 1);
    }

    @Test
    void start_everyPoolSize_visitsEachPositionOncePerRound() {
        for (int n : new int[] {65, 100, 1000, 4096, 46_340, 46_341, 65_536, 100_003}) {
            int stride = BoundedScan.stride(n);
            boolean[] seen = new boolean[n];
            for (int k = 0; k < n; k++) {
                int start = BoundedScan.start(k, n, stride);
                assertThat(start).as("n %d, k %d", n, k).isEqualTo((int) ((long) k * stride % n));
                assertThat(seen[start]).as("n %d: position %d twice", n, start).isFalse();
                seen[start] = true;
            }
            assertThat(stride).as("n %d", n).isBetween(n / 2, n - 1);
        }
        assertThat(BoundedScan.stride(64)).isEqualTo(1);
    }

    @Test
    void candidates_belowOne_rejected() {
        TestServerSet servers = TestServerSet.ofSize(2);

        assertThatThrownBy(() -> new LeastConnectionScheduler(servers, ONE_STRIPE, Schedulers.NO_PREVIOUS, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("candidates: 0 (expected: 1 or more)");
    }

    private static int spreadAfterSteadyLoad(int candidates) {
        TestServerSet servers = TestServerSet.ofSize(1024);
        Scheduler scheduler = new LeastConnectionScheduler(servers, ONE_STRIPE, Schedulers.NO_PREVIOUS, candidates);
        Picks.countWithConnections(scheduler, servers, 400_000, 16_384, new SplittableRandom(11));
        int max = 0;
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < servers.size(); i++) {
            max = Math.max(max, servers.activeConnections(i));
            min = Math.min(min, servers.activeConnections(i));
        }
        return max - min;
    }

    private static TestServerSet loaded(int size, int active) {
        TestServerSet servers = TestServerSet.ofSize(size);
        for (int i = 0; i < size; i++) {
            servers.active(i, active);
        }
        return servers;
    }

    private static Scheduler leastConnection(TestServerSet servers) {
        return new LeastConnectionScheduler(servers, ONE_STRIPE, Schedulers.NO_PREVIOUS);
    }

    private static Scheduler weightedLeastConnection(TestServerSet servers) {
        return new WeightedLeastConnectionScheduler(servers, ONE_STRIPE, Schedulers.NO_PREVIOUS);
    }
}
