package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RandomSchedulerTest {

    @Test
    void pick_equalWeights_spreadsEvenly() {
        TestServerSet servers = TestServerSet.ofSize(4);

        long[] counts = Picks.count(new RandomScheduler(servers), servers, 100_000);

        for (long count : counts) {
            assertThat(count).isCloseTo(25_000, within(1_250L));
        }
    }

    @Test
    void pick_weights511_respectsWeights() {
        TestServerSet servers = TestServerSet.ofWeights(5, 1, 1);

        long[] counts = Picks.count(new RandomScheduler(servers), servers, 100_000);

        assertThat(Picks.share(counts, 0)).isCloseTo(5 / 7.0, within(0.05 * 5 / 7.0));
        assertThat(Picks.share(counts, 1)).isCloseTo(1 / 7.0, within(0.05 / 7.0));
        assertThat(Picks.share(counts, 2)).isCloseTo(1 / 7.0, within(0.05 / 7.0));
    }

    @Test
    void pick_oneIneligible_othersKeepTheirRatio() {
        TestServerSet servers = TestServerSet.ofWeights(5, 1, 3).eligible(0, false);

        long[] counts = Picks.count(new RandomScheduler(servers), servers, 100_000);

        assertThat(counts[0]).isZero();
        assertThat(Picks.share(counts, 2)).isCloseTo(0.75, within(0.0375));
    }

    @Test
    void pick_slowStartingServer_getsItsRampOfAShare() {
        TestServerSet servers = TestServerSet.ofSize(4).ramp(3, 100);

        long[] counts = Picks.count(new RandomScheduler(servers), servers, 100_000);

        assertThat(Picks.share(counts, 3)).isCloseTo(0.1 / 3.1, within(0.004));
    }
}
