package dev.switchboard.benchmarks.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.SchedulingMethod;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BalanceQualityTest {

    private static Map<SchedulingMethod, SchedulerResult> results;

    @BeforeAll
    static void runSmallScenario() {
        Scenario scenario = Scenario.small();
        results = BalanceQuality.METHODS.stream()
                .map(m -> new BalanceSimulation(scenario, m).run())
                .collect(Collectors.toMap(SchedulerResult::method, Function.identity()));
    }

    @Test
    void report_sameSeed_sameTables() {
        String first = BalanceQuality.report(Scenario.small());
        String second = BalanceQuality.report(Scenario.small());

        assertThat(second).isEqualTo(first);
        assertThat(first).contains("| least-loaded |", "| source-ip-hash |", "Consistent hash", "largest burst");
    }

    @Test
    void report_sameSeedOnAnotherThread_sameTables() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor(); // another thread id: another stripe by default
        try {
            String there = other.submit(() -> BalanceQuality.report(Scenario.small())).get(5, TimeUnit.MINUTES);

            assertThat(there).isEqualTo(BalanceQuality.report(Scenario.small()));
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void simulation_otherSeed_otherResult() {
        Scenario small = Scenario.small();
        Scenario reseeded = new Scenario(small.servers(), small.requestsPerSecond(), small.durationSeconds(),
                small.clients(), small.slowServer(), small.returningServer(), small.downAtSecond(),
                small.upAtSecond(), small.slowStartSeconds(), small.seed() + 1);

        SchedulerResult other = new BalanceSimulation(reseeded, SchedulingMethod.LEAST_LOADED).run();

        assertThat(other.p99Millis()).isNotEqualTo(results.get(SchedulingMethod.LEAST_LOADED).p99Millis());
    }

    @Test
    void simulation_everyScheduler_forwardsTheSameRequests() {
        long requests = results.get(SchedulingMethod.ROUND_ROBIN).requests();

        assertThat(requests).isBetween(7_000L, 9_000L); // 200/s for 40 s, Poisson
        for (SchedulerResult r : results.values()) {
            assertThat(r.requests()).as(r.method().name()).isEqualTo(requests);
            assertThat(r.notForwarded()).as(r.method().name()).isZero();
            assertThat(r.p50Millis()).as(r.method().name()).isPositive().isLessThanOrEqualTo(r.p99Millis());
            assertThat(r.p99Millis()).as(r.method().name()).isLessThanOrEqualTo(r.maxMillis());
        }
    }

    @Test
    void simulation_leastConnection_sendsLessToTheSlowServerThanRoundRobin() {
        assertThat(results.get(SchedulingMethod.LEAST_CONNECTION).toSlow())
                .isLessThan(results.get(SchedulingMethod.ROUND_ROBIN).toSlow() / 2);
        assertThat(results.get(SchedulingMethod.WEIGHTED_LEAST_CONNECTION).toSlow())
                .isLessThan(results.get(SchedulingMethod.WEIGHTED_ROUND_ROBIN).toSlow() / 2);
    }

    @Test
    void simulation_returningServer_rampsUnderSlowStart() {
        for (SchedulerResult r : List.of(results.get(SchedulingMethod.ROUND_ROBIN),
                results.get(SchedulingMethod.WEIGHTED_ROUND_ROBIN), results.get(SchedulingMethod.RANDOM))) {
            int[] ramp = r.rampPercent();
            assertThat(ramp[0]).as(r.method().name()).isLessThan(60);
            assertThat(ramp[ramp.length - 1]).as(r.method().name()).isBetween(75, 125);
        }
    }

    @Test
    void remap_oneOfTenServersLeaves_onlyItsClientsMove() {
        List<HashRemap.Result> remaps = new HashRemap(20_000, Scenario.SEED).run(Scenario.SEED);

        assertThat(remaps).hasSize(4);
        for (HashRemap.Result r : remaps) {
            assertThat(r.movedElsewhere()).as(r.toString()).isZero();
            assertThat(r.movedFraction()).as(r.toString()).isEqualTo(r.leavingShare());
            if (r.weights().equals("equal")) {
                assertThat(r.movedFraction()).as(r.toString()).isBetween(0.07, 0.13);
            } else {
                assertThat(r.movedFraction()).as(r.toString()).isBetween(0.01, 0.35);
            }
        }
    }

    @Test
    void weightedRoundRobin_largestBurst_withinTwiceTheLeastPossible() {
        for (WeightedBurst.Result r : WeightedBurst.run(Scenario.small())) {
            assertThat(r.switchboard()).as(r.weights()).isBetween(r.leastPossible(), 2 * r.leastPossible());
        }
    }

    @Test
    void longestRun_countsConsecutiveRepeats() {
        assertThat(WeightedBurst.longestRun(new int[] {0, 0, 1, 0, 0, 0, 2})).isEqualTo(3);
        assertThat(WeightedBurst.leastPossible(new int[] {5, 1, 1})).isEqualTo(3);
    }

    @Test
    void scenarioLarge_256ServersOfUniqueNames_tableListsEightAndSumsUpTheRest() {
        Scenario large = Scenario.large();

        assertThat(large.servers()).hasSize(256);
        assertThat(large.servers().stream().map(ServerSpec::name).distinct()).hasSize(256);
        assertThat(ReportTables.scenario(large)).contains("| c2 | 1 | 4 |", "248 more servers").doesNotContain("a1-1 ");
    }

    @Test
    void simulation_256Servers_leastConnectionBalancesWhereRoundRobinQueues() {
        // The large pool for 8 s: above 64 servers the least-connection schedulers compare 16 servers per pick
        // (the 40-s run of BalanceQuality large: load max/min 2.23 and 1.10, as with a scan of the whole pool).
        Scenario large = Scenario.large();
        Scenario shorter = new Scenario(large.servers(), large.requestsPerSecond(), 8, large.clients(),
                large.slowServer(), large.returningServer(), 2, 4, 1, large.seed());

        SchedulerResult roundRobin = new BalanceSimulation(shorter, SchedulingMethod.ROUND_ROBIN).run();
        SchedulerResult leastConnection = new BalanceSimulation(shorter, SchedulingMethod.LEAST_CONNECTION).run();
        SchedulerResult weighted = new BalanceSimulation(shorter, SchedulingMethod.WEIGHTED_LEAST_CONNECTION).run();

        assertThat(leastConnection.p99Millis()).isLessThan(roundRobin.p99Millis() / 5);
        assertThat(weighted.p99Millis()).isLessThan(roundRobin.p99Millis() / 5);
        assertThat(leastConnection.loadRatio()).isLessThan(3.0);
        assertThat(weighted.loadRatio()).isLessThan(1.5);
    }
}
