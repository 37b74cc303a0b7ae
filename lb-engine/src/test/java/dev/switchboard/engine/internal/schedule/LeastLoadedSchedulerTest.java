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
}
