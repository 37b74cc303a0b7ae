package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * {@link dev.switchboard.api.SchedulingMethod#LEAST_LOADED}: the power of two random choices. Two eligible
 * servers are drawn at random, each with probability proportional to its effective weight (weight times ramp;
 * drawn independently, so both may be the same server), and the one with the lower load
 * {@code (active + 1) / (weight * ramp)} wins, the first drawn on a tie. Over time the active connections per
 * unit of effective weight even out, so a slow-starting server gets about its ramped share.
 *
 * <p>Each draw is a rejection sample, so a pick costs the same among 4 or 4,096 servers: a uniformly random index,
 * kept with probability {@code effectiveWeight / maxEffectiveWeight} if eligible, up to {@value #ATTEMPTS} tries.
 * Only when every try fails (most of the pool ineligible, or very uneven weights) does the pick fall back to two
 * passes over the pool: one sums the effective weights, one finds both draws (when the pool changes between the
 * passes, a draw that runs past the end takes the last eligible server seen).
 *
 * <p>Draws come from the engine's random source. Lock-free, allocation-free and thread-safe; the only state is the
 * largest configured weight, read once.
 */
final class LeastLoadedScheduler implements Scheduler {

    /** Tries per draw before the exact two-pass fallback. */
    static final int ATTEMPTS = 8;

    private final long maxEffectiveWeight;
    private final RandomGenerator random;

    LeastLoadedScheduler(ServerSet servers) {
        this(servers, PerThreadRandom.INSTANCE);
    }

    LeastLoadedScheduler(ServerSet servers, RandomGenerator random) {
        Objects.requireNonNull(servers, "servers");
        this.random = Objects.requireNonNull(random, "random");
        int max = 0;
        for (int i = 0; i < servers.size(); i++) {
            max = Math.max(max, servers.weight(i));
        }
        this.maxEffectiveWeight = max * 1000L;
    }

    @Override
    public int pick(ServerSet servers, long hash) {
        int n = servers.size();
        if (n > 0 && maxEffectiveWeight > 0) {
            int first = draw(servers, n);
            int second = first == NONE ? NONE : draw(servers, n);
            if (second != NONE) {
                return first == second ? first : lessLoaded(servers, first, SlowStart.effectiveWeight(servers, first),
                        second, SlowStart.effectiveWeight(servers, second));
            }
        }
        return scan(servers, n);
    }

    /** One weighted draw by rejection; {@link #NONE} when {@value #ATTEMPTS} tries all miss. */
    private int draw(ServerSet servers, int n) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int i = random.nextInt(n);
            if (!servers.isEligible(i)) {
                continue;
            }
            long weight = SlowStart.effectiveWeight(servers, i);
            if (weight > 0 && (weight >= maxEffectiveWeight || random.nextLong(maxEffectiveWeight) < weight)) {
                return i;
            }
        }
        return NONE;
    }

    /** The exact two-pass pick. */
    private int scan(ServerSet servers, int n) {
        long total = WeightedRandom.totalEffectiveWeight(servers, n);
        if (total <= 0) {
            return NONE;
        }
        long firstPoint = random.nextLong(total);
        long secondPoint = random.nextLong(total);
        int first = NONE;
        int second = NONE;
        int last = NONE;
        long firstWeight = 0;
        long secondWeight = 0;
        long lastWeight = 0;
        long seen = 0;
        for (int i = 0; i < n && (first == NONE || second == NONE); i++) {
            if (!servers.isEligible(i)) {
                continue;
            }
            long weight = SlowStart.effectiveWeight(servers, i);
            if (weight <= 0) {
                continue;
            }
            seen += weight;
            last = i;
            lastWeight = weight;
            if (first == NONE && firstPoint < seen) {
                first = i;
                firstWeight = weight;
            }
            if (second == NONE && secondPoint < seen) {
                second = i;
                secondWeight = weight;
            }
        }
        if (first == NONE) {
            return last;
        }
        if (second == NONE) {
            second = last;
            secondWeight = lastWeight;
        }
        return first == second ? first : lessLoaded(servers, first, firstWeight, second, secondWeight);
    }

    /** The server with the lower {@code (active + 1) / weight}; {@code first} on a tie. */
    private static int lessLoaded(ServerSet servers, int first, long firstWeight, int second, long secondWeight) {
        // cross-multiplied; both products stay below 2^63
        long firstScaled = (Math.max(servers.activeConnections(first), 0) + 1L) * secondWeight;
        long secondScaled = (Math.max(servers.activeConnections(second), 0) + 1L) * firstWeight;
        return secondScaled < firstScaled ? second : first;
    }

    @Override
    public String toString() {
        return "least-loaded";
    }
}
