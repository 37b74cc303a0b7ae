package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * {@link dev.switchboard.api.SchedulingMethod#FIXED_WEIGHTING}: the eligible server with the highest effective
 * weight (weight times ramp) takes every client, the lowest index among equals; when it leaves, the next one
 * takes over. A primary coming back from slow start takes over again once its effective weight is the highest.
 * Servers of weight 0 are never picked.
 *
 * <p>The servers are sorted by weight (highest first, then by index) at creation, since weights are fixed for
 * the life of the pool. A pick walks that order and stops at the first eligible server at full ramp: no server
 * after it can beat it. So a pick costs one step when the primary is up.
 *
 * <p>Stateless after creation, lock-free, allocation-free and thread-safe.
 */
final class FixedWeightingScheduler implements Scheduler {

    /** Servers of positive weight, by weight descending, then index ascending. */
    private final int[] order;
    private final int[] weights;

    FixedWeightingScheduler(ServerSet servers) {
        int n = servers.size();
        this.weights = new int[n];
        for (int i = 0; i < n; i++) {
            weights[i] = SlowStart.weight(servers, i);
        }
        this.order = IntStream.range(0, n)
                .filter(i -> weights[i] > 0)
                .boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> weights[i]).reversed().thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    @Override
    public int pick(ServerSet servers, long hash) {
        int n = servers.size();
        int best = NONE;
        long bestWeight = 0;
        for (int i : order) {
            if (i >= n || !servers.isEligible(i)) {
                continue;
            }
            int ramp = SlowStart.permille(servers, i);
            long weight = (long) weights[i] * ramp;
            if (weight > bestWeight || (weight == bestWeight && i < best)) {
                best = i;
                bestWeight = weight;
            }
            if (ramp == SlowStart.FULL) {
                break;
            }
        }
        return best;
    }

    /** The order in which servers take over (for tests). */
    int[] order() {
        return Arrays.copyOf(order, order.length);
    }

    @Override
    public String toString() {
        return "fixed-weighting";
    }
}
