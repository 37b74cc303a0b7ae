package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.Scheduler;
import org.junit.jupiter.api.Test;

class FixedWeightingSchedulerTest {

    @Test
    void pick_highestWeight_takesEverything() {
        TestServerSet servers = TestServerSet.ofWeights(2, 5, 3);

        long[] counts = Picks.count(new FixedWeightingScheduler(servers), servers, 1_000);

        assertThat(counts).containsExactly(0, 1_000, 0);
    }

    @Test
    void pick_highestIneligible_nextHighestTakesOverAndGivesBack() {
        TestServerSet servers = TestServerSet.ofWeights(2, 5, 3);
        Scheduler scheduler = new FixedWeightingScheduler(servers);

        servers.eligible(1, false);
        assertThat(scheduler.pick(servers, 0)).isEqualTo(2);
        servers.eligible(2, false);
        assertThat(scheduler.pick(servers, 0)).isZero();
        servers.eligible(1, true);
        assertThat(scheduler.pick(servers, 0)).isEqualTo(1);
    }

    @Test
    void pick_equalWeights_lowestIndexFirst() {
        TestServerSet servers = TestServerSet.ofWeights(3, 5, 5);
        Scheduler scheduler = new FixedWeightingScheduler(servers);

        assertThat(scheduler.pick(servers, 0)).isEqualTo(1);
        servers.eligible(1, false);
        assertThat(scheduler.pick(servers, 0)).isEqualTo(2);
    }

    @Test
    void pick_primaryInSlowStart_takesOverOnceItsEffectiveWeightIsHighest() {
        TestServerSet servers = TestServerSet.ofWeights(10, 5).ramp(0, 400);
        Scheduler scheduler = new FixedWeightingScheduler(servers);

        assertThat(scheduler.pick(servers, 0)).isEqualTo(1);
        servers.ramp(0, 500);
        assertThat(scheduler.pick(servers, 0)).as("equal effective weights: lowest index").isZero();
        servers.ramp(0, 600);
        assertThat(scheduler.pick(servers, 0)).isZero();
    }

    @Test
    void pick_rampingServersAheadOfAFullOne_highestEffectiveWeightWins() {
        TestServerSet servers = TestServerSet.ofWeights(10, 9, 4).ramp(0, 300).ramp(1, 900);

        // 3000, 8100, 4000
        assertThat(new FixedWeightingScheduler(servers).pick(servers, 0)).isEqualTo(1);
    }

    @Test
    void order_weights_byWeightThenIndexWithoutWeightZero() {
        FixedWeightingScheduler scheduler = new FixedWeightingScheduler(TestServerSet.ofWeights(3, 0, 7, 3, 9));

        assertThat(scheduler.order()).containsExactly(4, 2, 0, 3);
    }
}
