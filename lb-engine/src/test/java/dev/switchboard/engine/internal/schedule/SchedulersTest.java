package dev.switchboard.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.spi.Scheduler;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The contract every built-in scheduler keeps. */
class SchedulersTest {

    private static Scheduler create(SchedulingMethod method, TestServerSet servers) {
        return Schedulers.factory(method).create(servers);
    }

    @Test
    void factory_null_throwsNullPointerException() {
        assertThatNullPointerException().isThrownBy(() -> Schedulers.factory(null)).withMessage("method");
    }

    @ParameterizedTest
    @EnumSource(SchedulingMethod.class)
    void factory_eachMethod_createsANewSchedulerNamedByTheMethod(SchedulingMethod method) {
        TestServerSet servers = TestServerSet.ofWeights(1, 2, 3);

        Scheduler first = create(method, servers);
        Scheduler second = create(method, servers);

        assertThat(first).isNotSameAs(second);
        assertThat(first).hasToString(method.configName());
    }

    @Test
    void factory_weightedRoundRobinWithEqualWeights_isPlainRoundRobin() {
        assertThat(create(SchedulingMethod.WEIGHTED_ROUND_ROBIN, TestServerSet.ofWeights(3, 3, 0, 3)))
                .hasToString("round-robin");
        assertThat(create(SchedulingMethod.WEIGHTED_ROUND_ROBIN, TestServerSet.ofWeights(3, 3, 1)))
                .hasToString("weighted-round-robin");
    }

    @ParameterizedTest
    @EnumSource(SchedulingMethod.class)
    void pick_nothingEligible_returnsNone(SchedulingMethod method) {
        TestServerSet servers = TestServerSet.ofWeights(5, 1, 1, 3);
        Scheduler scheduler = create(method, servers);
        servers.allEligible(false);

        for (int k = 0; k < 100; k++) {
            assertThat(scheduler.pick(servers, k)).isEqualTo(Scheduler.NONE);
        }
    }

    @ParameterizedTest
    @EnumSource(SchedulingMethod.class)
    void pick_emptyPool_returnsNone(SchedulingMethod method) {
        TestServerSet servers = TestServerSet.ofSize(0);

        assertThat(create(method, servers).pick(servers, 42)).isEqualTo(Scheduler.NONE);
    }

    @ParameterizedTest
    @EnumSource(SchedulingMethod.class)
    void pick_sizeOne_returnsTheServerWhileEligible(SchedulingMethod method) {
        TestServerSet servers = TestServerSet.ofWeights(7).ramp(0, 1);
        Scheduler scheduler = create(method, servers);

        for (int k = 0; k < 100; k++) {
            assertThat(scheduler.pick(servers, k)).isZero();
        }
        servers.eligible(0, false);
        assertThat(scheduler.pick(servers, 1)).isEqualTo(Scheduler.NONE);
        servers.eligible(0, true);
        assertThat(scheduler.pick(servers, 1)).isZero();
    }

    @ParameterizedTest
    @EnumSource(SchedulingMethod.class)
    void pick_weightZeroServer_isNeverPicked(SchedulingMethod method) {
        TestServerSet servers = TestServerSet.ofWeights(0, 2, 0, 1);
        Scheduler scheduler = create(method, servers);

        // Not eligible per the ServerSet contract (weight 0); even if a pool says so, weighted schedulers skip it.
        servers.eligible(0, false).eligible(2, false);
        for (int k = 0; k < 1_000; k++) {
            assertThat(scheduler.pick(servers, k)).isIn(1, 3);
        }
    }

    @ParameterizedTest
    @EnumSource(SchedulingMethod.class)
    void pick_randomEligibilityFlips_neverReturnsAnIneligibleServer(SchedulingMethod method) {
        SplittableRandom random = new SplittableRandom(20_240_611L + method.ordinal());
        int[] weights = random.ints(12, 1, 11).toArray();
        TestServerSet servers = TestServerSet.ofWeights(weights);
        Scheduler scheduler = create(method, servers);

        for (int k = 0; k < 20_000; k++) {
            int i = random.nextInt(weights.length);
            switch (random.nextInt(4)) {
                case 0 -> servers.eligible(i, random.nextInt(3) > 0);
                case 1 -> servers.ramp(i, random.nextBoolean() ? 1000 : random.nextInt(1, 1001));
                case 2 -> servers.active(i, random.nextInt(50));
                default -> servers.allEligible(random.nextInt(8) > 0);
            }
            boolean anyEligible = false;
            for (int s = 0; s < weights.length; s++) {
                anyEligible |= servers.isEligible(s);
            }

            int picked = scheduler.pick(servers, random.nextLong());

            if (anyEligible) {
                assertThat(picked).isBetween(0, weights.length - 1);
                assertThat(servers.isEligible(picked)).as("server %s eligible", picked).isTrue();
            } else {
                assertThat(picked).isEqualTo(Scheduler.NONE);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SchedulingMethod.class, names = "FIXED_WEIGHTING", mode = EnumSource.Mode.EXCLUDE)
    void pick_oneOfFourAtRamp100_getsATenthOfItsShare(SchedulingMethod method) {
        // Under a steady load (equal connection lifetimes) every scheduler gives a server at ramp r about
        // r / 1000 of its normal share: 0.1 / (3 + 0.1) here. Fixed weighting has no shares (see its own test).
        TestServerSet servers = TestServerSet.ofSize(4).ramp(3, 100);

        long[] counts = Picks.countWithConnections(create(method, servers), servers, 100_000, 400,
                new SplittableRandom(method.ordinal()));

        assertThat(Picks.share(counts, 3)).isCloseTo(0.1 / 3.1, within(0.006));
    }

    @ParameterizedTest
    @EnumSource(SchedulingMethod.class)
    void pick_afterWarmUp_allocatesNothing(SchedulingMethod method) {
        TestServerSet servers = TestServerSet.ofWeights(5, 1, 1, 3, 2, 2, 4, 1).ramp(2, 300).active(3, 7)
                .eligible(5, false);
        Scheduler scheduler = create(method, servers);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int k = 0; k < 20_000; k++) {
            sink += scheduler.pick(servers, k * 0x9E3779B97F4A7C15L) + 1;
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int k = 0; k < 100_000; k++) {
            sink += scheduler.pick(servers, k * 0x9E3779B97F4A7C15L) + 1;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated by 100,000 picks").isLessThan(1_024);
    }
}
