package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinSchedulerTest {

    @Test
    void sequence_weights511_isNginxSmoothSequence() {
        // a a b a c a a
        assertThat(SmoothWeightedSequence.of(new int[] {5, 1, 1})).containsExactly(0, 0, 1, 0, 2, 0, 0);
    }

    @Test
    void sequence_commonDivisor_isReduced() {
        int[] sequence = SmoothWeightedSequence.of(new int[] {10, 20, 30});

        assertThat(sequence).hasSize(6);
        assertThat(occurrences(sequence, 0)).isEqualTo(1);
        assertThat(occurrences(sequence, 1)).isEqualTo(2);
        assertThat(occurrences(sequence, 2)).isEqualTo(3);
    }

    @Test
    void sequence_hugeWeights_cappedProportionallyKeepingEveryServer() {
        int[] weights = {65_535, 1, 30_000, 777};

        int[] sequence = SmoothWeightedSequence.of(weights);

        assertThat(sequence.length).isLessThanOrEqualTo(SmoothWeightedSequence.MAX_LENGTH);
        assertThat(occurrences(sequence, 1)).isEqualTo(1);
        double total = 65_535 + 1 + 30_000 + 777;
        assertThat(occurrences(sequence, 0) / (double) sequence.length).isCloseTo(65_535 / total, within(0.002));
        assertThat(occurrences(sequence, 2) / (double) sequence.length).isCloseTo(30_000 / total, within(0.002));
        assertThat(occurrences(sequence, 3) / (double) sequence.length).isCloseTo(777 / total, within(0.002));
    }

    @Test
    void sequence_moreServersThanTheCap_oneSlotEach() {
        int[] weights = IntStream.range(0, 5_000).map(i -> 1 + i % 7).toArray();

        int[] sequence = SmoothWeightedSequence.of(weights);

        assertThat(sequence).hasSize(5_000);
        assertThat(Arrays.stream(sequence).distinct().count()).isEqualTo(5_000);
    }

    @Test
    void sequence_noPositiveWeight_isEmpty() {
        assertThat(SmoothWeightedSequence.of(new int[] {0, 0})).isEmpty();
    }

    @Test
    void pick_wholeCycles_exactProportions() {
        TestServerSet servers = TestServerSet.ofWeights(5, 1, 1, 3);

        long[] counts = Picks.count(new WeightedRoundRobinScheduler(servers), servers, 10 * 10_000);

        assertThat(counts).containsExactly(50_000, 10_000, 10_000, 30_000);
    }

    @Test
    void pick_weights511_heavyServerRunsAtMostFour() {
        // One cycle is a a b a c a a: runs of a are at most 2 inside it, but a thread walks the cycle round and
        // round, so the last two and the first two join: the bound is exactly 4 (a plain weighted round robin,
        // a a a a a b c, would give 5). No two light servers are ever adjacent.
        TestServerSet servers = TestServerSet.ofWeights(5, 1, 1);
        WeightedRoundRobinScheduler scheduler = new WeightedRoundRobinScheduler(servers);

        int longest = 0;
        int run = 0;
        int previous = -1;
        for (int k = 0; k < 7 * 1_000; k++) {
            int picked = scheduler.pick(servers, 0);
            run = picked == 0 ? run + 1 : 0;
            longest = Math.max(longest, run);
            if (picked != 0 && previous >= 0) {
                assertThat(previous).isZero();
            }
            previous = picked;
        }

        assertThat(longest).isEqualTo(4);
    }

    @Test
    void pick_weightZeroServer_isNeverPicked() {
        TestServerSet servers = TestServerSet.ofWeights(3, 0, 2);
        WeightedRoundRobinScheduler scheduler = new WeightedRoundRobinScheduler(servers);

        long[] counts = Picks.count(scheduler, servers, 5_000);

        assertThat(scheduler.cycleLength()).isEqualTo(5);
        assertThat(counts).containsExactly(3_000, 0, 2_000);
    }

    @Test
    void pick_heavyServerIneligible_othersKeepTheirRatio() {
        TestServerSet servers = TestServerSet.ofWeights(5, 1, 2).eligible(0, false);

        long[] counts = Picks.count(new WeightedRoundRobinScheduler(servers), servers, 30_000);

        assertThat(counts[0]).isZero();
        assertThat(counts[1]).isCloseTo(10_000, within(100L));
        assertThat(counts[2]).isCloseTo(20_000, within(100L));
    }

    @Test
    void pick_dominantServerIneligible_fallsBackAndKeepsTheRatio() {
        // 1000 slots of server 0 among 1002: scans hit their limit and fall back to weighted random
        TestServerSet servers = TestServerSet.ofWeights(1_000, 1, 1).eligible(0, false);

        long[] counts = Picks.count(new WeightedRoundRobinScheduler(servers), servers, 20_000);

        assertThat(counts[0]).isZero();
        assertThat(Picks.share(counts, 1)).isCloseTo(0.5, within(0.02));
    }

    @Test
    void pick_slowStartingServer_getsItsRampOfAShare() {
        TestServerSet servers = TestServerSet.ofWeights(5, 1, 1, 3).ramp(3, 100);

        long[] counts = Picks.count(new WeightedRoundRobinScheduler(servers), servers, 100_000);

        // 3 * 0.1 / (5 + 1 + 1 + 0.3)
        assertThat(Picks.share(counts, 3)).isCloseTo(0.3 / 7.3, within(0.004));
        assertThat(Picks.share(counts, 0)).isCloseTo(5 / 7.3, within(0.006));
    }

    private static long occurrences(int[] sequence, int server) {
        return Arrays.stream(sequence).filter(s -> s == server).count();
    }
}
