package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastLoadedSchedulerTest {

    @Test
    void pick_twoServersOneBusy_busyOneOnlyWhenDrawnTwice() {
        // the busy server wins only when both draws are it: 1/2 * 1/2
        TestServerSet servers = TestServerSet.ofSize(2).active(1, 10);

        long[] counts = Picks.count(new LeastLoadedScheduler(servers), servers, 100_000);

        assertThat(Picks.share(counts, 1)).isCloseTo(0.25, within(0.01));
    }

    @Test
    void pick_equalLoadsPerWeight_firstDrawWins() {
        // loads (3 + 1) / 2 and (1 + 1) / 1 tie: each wins when drawn first, so shares follow the weights
        TestServerSet servers = TestServerSet.ofWeights(2, 1).active(0, 3).active(1, 1);

        long[] counts = Picks.count(new LeastLoadedScheduler(servers), servers, 100_000);

        assertThat(Picks.share(counts, 0)).isCloseTo(2 / 3.0, within(0.01));
    }

    @Test
    void pick_steadyLoad_sharesFollowTheWeights() {
        TestServerSet servers = TestServerSet.ofWeights(5, 1, 1);

        long[] counts = Picks.countWithConnections(new LeastLoadedScheduler(servers), servers, 100_000, 350,
                new SplittableRandom(11));

        assertThat(Picks.share(counts, 0)).isCloseTo(5 / 7.0, within(0.02));
        assertThat(Picks.share(counts, 1)).isCloseTo(1 / 7.0, within(0.01));
        assertThat(Picks.share(counts, 2)).isCloseTo(1 / 7.0, within(0.01));
    }

    @Test
    void pick_steadyLoad_slowStartingServerGetsItsRampOfAShare() {
        TestServerSet servers = TestServerSet.ofSize(4).ramp(3, 100);

        long[] counts = Picks.countWithConnections(new LeastLoadedScheduler(servers), servers, 100_000, 400,
                new SplittableRandom(12));

        assertThat(Picks.share(counts, 3)).isCloseTo(0.1 / 3.1, within(0.006));
    }

    @Test
    void pick_largePoolWithUnevenWeights_sharesFollowTheWeights() {
        int[] weights = new int[4096];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i % 2 == 0 ? 1 : 3;
        }
        TestServerSet servers = TestServerSet.ofWeights(weights);

        long[] counts = Picks.count(new LeastLoadedScheduler(servers), servers, 400_000);

        long odd = 0;
        for (int i = 1; i < counts.length; i += 2) {
            odd += counts[i];
        }
        // each draw lands on a weight-3 (odd) server with probability 3/4; idle, (0 + 1) / 3 beats (0 + 1) / 1, so an
        // even server wins only when both draws are even: 1 - (1/4)^2 = 15/16 on the odd ones
        assertThat(odd / 400_000.0).isCloseTo(15 / 16.0, within(0.005));
    }

    @Test
    void pick_almostWholePoolIneligible_fallsBackToTheExactPickAndNeverChoosesAnIneligibleServer() {
        TestServerSet servers = TestServerSet.ofSize(4096).allEligible(false).eligible(17, true).eligible(4000, true);

        long[] counts = Picks.count(new LeastLoadedScheduler(servers), servers, 20_000);

        assertThat(counts[17] + counts[4000]).isEqualTo(20_000);
        assertThat(Picks.share(counts, 17)).isCloseTo(0.5, within(0.03));
    }

    @Test
    void pick_nothingEligible_none() {
        TestServerSet servers = TestServerSet.ofSize(64).allEligible(false);

        assertThat(new LeastLoadedScheduler(servers).pick(servers, 0)).isEqualTo(-1);
    }
}
