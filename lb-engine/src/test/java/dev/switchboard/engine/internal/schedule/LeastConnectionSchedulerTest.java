package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.Scheduler;
import org.junit.jupiter.api.Test;

class LeastConnectionSchedulerTest {

    @Test
    void pick_differentLoads_picksTheLeastLoaded() {
        TestServerSet servers = TestServerSet.ofSize(4).active(0, 5).active(1, 2).active(2, 7).active(3, 3);
        LeastConnectionScheduler scheduler = new LeastConnectionScheduler(servers);

        for (int k = 0; k < 100; k++) {
            assertThat(scheduler.pick(servers, 0)).isEqualTo(1);
        }
    }

    @Test
    void pick_leastLoadedIneligible_picksTheNextLeast() {
        TestServerSet servers = TestServerSet.ofSize(3).active(0, 5).active(1, 2).active(2, 3).eligible(1, false);

        assertThat(new LeastConnectionScheduler(servers).pick(servers, 0)).isEqualTo(2);
    }

    @Test
    void pick_allIdle_spreadsOverServers() {
        TestServerSet servers = TestServerSet.ofSize(4);

        long[] counts = Picks.count(new LeastConnectionScheduler(servers), servers, 4_000);

        assertThat(counts).containsOnly(1_000);
    }

    @Test
    void pick_tiedLeastLoaded_spreadsOverTheTiedOnly() {
        // The scan starts at a rotating position and the first tied server after it wins, so each tied server
        // gets the starts from the one tied before it up to itself: 2/5, 2/5 and 1/5 here. (With leases a
        // winner is no longer tied at the next pick, see pick_connectionsKeptOpen_evensThemOut.)
        TestServerSet servers = TestServerSet.ofSize(5).active(0, 4).active(1, 1).active(2, 9).active(3, 1)
                .active(4, 1);

        long[] counts = Picks.count(new LeastConnectionScheduler(servers), servers, 3_000);

        assertThat(counts[0] + counts[2]).isZero();
        assertThat(counts[1]).isGreaterThanOrEqualTo(600);
        assertThat(counts[3]).isGreaterThanOrEqualTo(600);
        assertThat(counts[4]).isGreaterThanOrEqualTo(600);
    }

    @Test
    void pick_connectionsKeptOpen_evensThemOut() {
        TestServerSet servers = TestServerSet.ofSize(3).active(0, 10);
        Scheduler scheduler = new LeastConnectionScheduler(servers);

        for (int k = 0; k < 290; k++) {
            servers.connect(scheduler.pick(servers, 0));
        }

        assertThat(servers.activeConnections(0)).isEqualTo(100);
        assertThat(servers.activeConnections(1)).isEqualTo(100);
        assertThat(servers.activeConnections(2)).isEqualTo(100);
    }

    @Test
    void pick_returningServerAtRamp50_takesFewOfTheNextPicks() {
        // Three servers with 20 connections score 21; the returning one at ramp 50 scores (a + 1) * 1000 / 50 =
        // 20 * (a + 1). It takes its k-th connection only once the others have 20 * k or more, so of 200 picks
        // (others 20 -> about 85 each) it gets about 4: 1 at once, then one per 20 connections per server.
        TestServerSet servers = TestServerSet.ofSize(4).active(0, 20).active(1, 20).active(2, 20).ramp(3, 50);

        int returning = picksOfServer3(servers, 200);

        assertThat(returning).as("well under 10%% of 200").isBetween(1, 5);
    }

    @Test
    void pick_returningServerAtFullRamp_takesTheFirstTwenty() {
        TestServerSet servers = TestServerSet.ofSize(4).active(0, 20).active(1, 20).active(2, 20);
        Scheduler scheduler = new LeastConnectionScheduler(servers);

        for (int k = 0; k < 20; k++) {
            int picked = scheduler.pick(servers, 0);
            assertThat(picked).isEqualTo(3);
            servers.connect(picked);
        }
    }

    private static int picksOfServer3(TestServerSet servers, int picks) {
        Scheduler scheduler = new LeastConnectionScheduler(servers);
        int count = 0;
        for (int k = 0; k < picks; k++) {
            int picked = scheduler.pick(servers, 0);
            servers.connect(picked);
            if (picked == 3) {
                count++;
            }
        }
        return count;
    }
}
