package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.api.spi.Scheduler;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SourceIpHashSchedulerTest {

    private static final int KEYS = 100_000;

    private static long[] keys(long seed) {
        return new SplittableRandom(seed).longs(KEYS).toArray();
    }

    private static int[] assign(Scheduler scheduler, TestServerSet servers, long[] keys) {
        int[] assigned = new int[keys.length];
        for (int k = 0; k < keys.length; k++) {
            assigned[k] = scheduler.pick(servers, keys[k]);
        }
        return assigned;
    }

    private static double share(int[] assigned, int server) {
        long count = 0;
        for (int a : assigned) {
            count += a == server ? 1 : 0;
        }
        return (double) count / assigned.length;
    }

    @Test
    void pick_sameHash_sameServerInEverySchedulerOfThePool() {
        TestServerSet servers = TestServerSet.ofSize(10);
        Scheduler first = new SourceIpHashScheduler(servers);
        Scheduler second = new SourceIpHashScheduler(servers);

        for (long key : keys(1)) {
            assertThat(second.pick(servers, key)).isEqualTo(first.pick(servers, key));
        }
    }

    @Test
    void pick_equalWeights_spreadsEvenly() {
        TestServerSet servers = TestServerSet.ofSize(10);

        int[] assigned = assign(new SourceIpHashScheduler(servers), servers, keys(2));

        for (int i = 0; i < 10; i++) {
            assertThat(share(assigned, i)).isCloseTo(0.1, within(0.01));
        }
    }

    @Test
    void pick_oneServerRemovedAndRestored_onlyItsClientsMoveAndComeBack() {
        TestServerSet servers = TestServerSet.ofSize(10);
        Scheduler scheduler = new SourceIpHashScheduler(servers);
        long[] keys = keys(3);
        int[] before = assign(scheduler, servers, keys);

        servers.eligible(4, false);
        int[] removed = assign(scheduler, servers, keys);
        servers.eligible(4, true);
        int[] restored = assign(scheduler, servers, keys);

        int moved = 0;
        for (int k = 0; k < keys.length; k++) {
            if (before[k] == 4) {
                assertThat(removed[k]).isNotEqualTo(4);
                moved++;
            } else {
                assertThat(removed[k]).as("key %s", k).isEqualTo(before[k]);
            }
        }
        assertThat((double) moved / keys.length).isBetween(0.07, 0.13);
        assertThat(restored).isEqualTo(before);
    }

    @Test
    void pick_weights1And3_splitAQuarterAndThreeQuarters() {
        TestServerSet servers = TestServerSet.ofWeights(1, 3);

        int[] assigned = assign(new SourceIpHashScheduler(servers), servers, keys(4));

        assertThat(share(assigned, 0)).isCloseTo(0.25, within(0.03));
        assertThat(share(assigned, 1)).isCloseTo(0.75, within(0.03));
    }

    @Test
    void pick_unequalWeightsOneRemoved_onlyItsClientsMove() {
        TestServerSet servers = TestServerSet.ofWeights(1, 2, 3, 4, 5);
        Scheduler scheduler = new SourceIpHashScheduler(servers);
        long[] keys = keys(5);
        int[] before = assign(scheduler, servers, keys);

        servers.eligible(3, false);
        int[] removed = assign(scheduler, servers, keys);
        servers.eligible(3, true);

        for (int k = 0; k < keys.length; k++) {
            if (before[k] != 3) {
                assertThat(removed[k]).as("key %s", k).isEqualTo(before[k]);
            }
        }
        assertThat(share(before, 3)).isCloseTo(4 / 15.0, within(0.01));
        assertThat(assign(scheduler, servers, keys)).isEqualTo(before);
    }

    @Test
    void pick_heavyServerRemovedLeavingEqualWeights_onlyItsClientsMove() {
        // weighted scoring before, plain highest value after: both rank equal weights the same way
        TestServerSet servers = TestServerSet.ofWeights(2, 2, 5, 2);
        Scheduler scheduler = new SourceIpHashScheduler(servers);
        long[] keys = keys(6);
        int[] before = assign(scheduler, servers, keys);

        servers.eligible(2, false);
        int[] removed = assign(scheduler, servers, keys);

        for (int k = 0; k < keys.length; k++) {
            if (before[k] != 2) {
                assertThat(removed[k]).as("key %s", k).isEqualTo(before[k]);
            }
        }
    }

    @Test
    void pick_slowStartingServer_getsItsRampOfAShareAndTakesNobodyElses() {
        TestServerSet servers = TestServerSet.ofSize(4);
        Scheduler scheduler = new SourceIpHashScheduler(servers);
        long[] keys = keys(7);
        int[] full = assign(scheduler, servers, keys);

        servers.ramp(3, 100);
        int[] ramping = assign(scheduler, servers, keys);

        assertThat(share(ramping, 3)).isCloseTo(0.1 / 3.1, within(0.004));
        for (int k = 0; k < keys.length; k++) {
            if (full[k] != 3) {
                assertThat(ramping[k]).as("key %s", k).isEqualTo(full[k]);
            }
        }
    }

    @Test
    void unitInterval_anyValue_strictlyBetweenZeroAndOne() {
        assertThat(SourceIpHashScheduler.unitInterval(0)).isGreaterThan(0.0);
        assertThat(SourceIpHashScheduler.unitInterval(-1L)).isLessThan(1.0);
        assertThat(SourceIpHashScheduler.unitInterval(Long.MIN_VALUE))
                .isGreaterThan(SourceIpHashScheduler.unitInterval(Long.MAX_VALUE));
    }
}
