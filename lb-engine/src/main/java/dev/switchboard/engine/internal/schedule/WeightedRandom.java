package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;
import java.util.random.RandomGenerator;

/**
 * Weighted random choice among the eligible servers of a pool, by effective weight (weight times ramp), in two
 * passes and without allocating: the first sums the effective weights, the second walks to the drawn point.
 * When the pool changes between the passes (a server leaves), the last eligible server seen in the second pass
 * is taken. Stateless and thread-safe.
 */
final class WeightedRandom {

    private WeightedRandom() {
    }

    /**
     * An eligible server drawn (from {@code random}) with probability proportional to its effective weight, or
     * {@link Scheduler#NONE}.
     */
    static int draw(ServerSet servers, RandomGenerator random) {
        int n = servers.size();
        long total = totalEffectiveWeight(servers, n);
        if (total <= 0) {
            return Scheduler.NONE;
        }
        long point = random.nextLong(total);
        int last = Scheduler.NONE;
        for (int i = 0; i < n; i++) {
            if (servers.isEligible(i)) {
                long weight = SlowStart.effectiveWeight(servers, i);
                if (weight > 0) {
                    if (point < weight) {
                        return i;
                    }
                    point -= weight;
                    last = i;
                }
            }
        }
        return last;
    }

    /** The sum of the effective weights of the eligible servers among the first {@code n}. */
    static long totalEffectiveWeight(ServerSet servers, int n) {
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (servers.isEligible(i)) {
                total += SlowStart.effectiveWeight(servers, i);
            }
        }
        return total;
    }
}
