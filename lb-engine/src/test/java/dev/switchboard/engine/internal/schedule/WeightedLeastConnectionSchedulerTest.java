package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.api.spi.Scheduler;
import org.junit.jupiter.api.Test;

class WeightedLeastConnectionSchedulerTest {

    @Test
    void pick_differentLoadsPerWeight_picksTheLeastPerWeight() {
        // (7 + 1) / 4 = 2 beats (2 + 1) / 1 = 3, though server 1 has fewer connections
        TestServerSet servers = TestServerSet.ofWeights(4, 1).active(0, 7).active(1, 2);

        assertThat(new WeightedLeastConnectionScheduler(servers).pick(servers, 0)).isZero();
    }

    @Test
    void pick_connectionsKeptOpen_followTheWeights() {
        TestServerSet servers = TestServerSet.ofWeights(5, 1, 1);
        Scheduler scheduler = new WeightedLeastConnectionScheduler(servers);

        for (int k = 0; k < 7_000; k++) {
            servers.connect(scheduler.pick(servers, 0));
        }

        assertThat(servers.activeConnections(0)).isCloseTo(5_000, within(5));
        assertThat(servers.activeConnections(1)).isCloseTo(1_000, within(5));
        assertThat(servers.activeConnections(2)).isCloseTo(1_000, within(5));
    }

    @Test
    void pick_equalWeightsAllIdle_spreadsOverServers() {
        TestServerSet servers = TestServerSet.ofWeights(3, 3, 3);

        long[] counts = Picks.count(new WeightedLeastConnectionScheduler(servers), servers, 3_000);

        assertThat(counts).containsOnly(1_000);
    }

    @Test
    void pick_returningServerAtRamp50_takesFewOfTheNextPicks() {
        // score (a + 1) / (weight * ramp): as for least connection, about 4 of 200
        TestServerSet servers = TestServerSet.ofWeights(2, 2, 2, 2).active(0, 20).active(1, 20).active(2, 20)
                .ramp(3, 50);
        Scheduler scheduler = new WeightedLeastConnectionScheduler(servers);

        int returning = 0;
        for (int k = 0; k < 200; k++) {
            int picked = scheduler.pick(servers, 0);
            servers.connect(picked);
            returning += picked == 3 ? 1 : 0;
        }

        assertThat(returning).isBetween(1, 5);
    }
}
