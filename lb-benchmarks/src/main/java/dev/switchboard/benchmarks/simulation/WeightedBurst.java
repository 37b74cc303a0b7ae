package dev.switchboard.benchmarks.simulation;

import com.linecorp.armeria.client.ClientRequestContext;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.client.endpoint.EndpointSelectionStrategy;
import com.linecorp.armeria.client.endpoint.EndpointSelector;
import com.linecorp.armeria.common.HttpMethod;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.benchmarks.dispatch.ArrayServerSet;
import dev.switchboard.engine.internal.schedule.SchedulerSettings;
import dev.switchboard.engine.internal.schedule.Schedulers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted round robin's largest burst: the longest run of consecutive picks of one server over ten full cycles
 * ({@code 10 * sum of weights} picks, one thread), for Switchboard's {@code WEIGHTED_ROUND_ROBIN} (through the
 * scheduler SPI over a fixed {@link ArrayServerSet}) and, for reference, Armeria's {@code weightedRoundRobin()}
 * on the same weights. The least possible burst of any interleaving is {@code ceil(wmax / (W - wmax))} for the
 * heaviest weight {@code wmax} of total {@code W}. Stateless.
 */
final class WeightedBurst {

    /**
     * @param weights the pool's weights, as written
     * @param switchboard Switchboard's largest burst
     * @param armeria Armeria's largest burst on the same weights
     * @param leastPossible {@code ceil(wmax / (W - wmax))}
     */
    record Result(String weights, int switchboard, int armeria, int leastPossible) {
    }

    private WeightedBurst() {
    }

    /** The pools measured: classic skewed pools, the simulation's pool, and the benchmarks' 1..5 mix of 16. */
    static List<Result> run(Scenario scenario) {
        List<int[]> pools = new ArrayList<>();
        pools.add(new int[] {5, 1, 1});
        pools.add(new int[] {10, 1});
        pools.add(new int[] {100, 1, 1, 1});
        pools.add(scenario.servers().stream().mapToInt(ServerSpec::weight).toArray());
        pools.add(dev.switchboard.benchmarks.dispatch.WeightMix.MIXED.weights(16));
        List<Result> out = new ArrayList<>();
        for (int[] weights : pools) {
            out.add(new Result(Arrays.toString(weights), switchboard(weights), armeria(weights),
                    leastPossible(weights)));
        }
        return out;
    }

    static int leastPossible(int[] weights) {
        int max = Arrays.stream(weights).max().orElse(0);
        int rest = Arrays.stream(weights).sum() - max;
        return rest == 0 ? Integer.MAX_VALUE : (max + rest - 1) / rest;
    }

    private static int switchboard(int[] weights) {
        ArrayServerSet set = ArrayServerSet.of(weights, Scenario.SEED);
        Scheduler scheduler = Schedulers.factory(SchedulingMethod.WEIGHTED_ROUND_ROBIN,
                new SchedulerSettings(Schedulers.perThreadRandom(), 1)).create(set); // one stripe: from slot 0
        int picks = 10 * Arrays.stream(weights).sum();
        int[] sequence = new int[picks];
        for (int p = 0; p < picks; p++) {
            sequence[p] = scheduler.pick(set, 0L);
        }
        return longestRun(sequence);
    }

    private static int armeria(int[] weights) {
        Endpoint[] endpoints = new Endpoint[weights.length];
        Map<Endpoint, Integer> index = new HashMap<>();
        for (int i = 0; i < weights.length; i++) {
            endpoints[i] = Endpoint.of("10.3." + ((i + 1) >> 8) + "." + ((i + 1) & 255), 8080).withWeight(weights[i]);
            index.put(endpoints[i], i);
        }
        EndpointGroup group = EndpointGroup.of(List.of(endpoints));
        group.whenReady().join();
        EndpointSelector selector = EndpointSelectionStrategy.weightedRoundRobin().newSelector(group);
        ClientRequestContext ctx = ClientRequestContext.of(
                com.linecorp.armeria.common.HttpRequest.of(HttpMethod.GET, "/"));
        int picks = 10 * Arrays.stream(weights).sum();
        int[] sequence = new int[picks];
        for (int p = 0; p < picks; p++) {
            sequence[p] = index.get(selector.selectNow(ctx));
        }
        return longestRun(sequence);
    }

    static int longestRun(int[] sequence) {
        int best = 0;
        int run = 0;
        for (int p = 0; p < sequence.length; p++) {
            run = p > 0 && sequence[p] == sequence[p - 1] ? run + 1 : 1;
            best = Math.max(best, run);
        }
        return best;
    }
}
