package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;

/**
 * {@link dev.switchboard.api.SchedulingMethod#WEIGHTED_LEAST_CONNECTION}: the eligible server with the fewest
 * active connections per unit of effective weight, score {@code (active + 1) / (weight * ramp)}, compared by
 * cross-multiplication in {@code long} arithmetic. Servers of weight 0 are never picked.
 *
 * <p>Every pick scans the whole pool, starting at a position from a {@link StripedCounter}; on equal scores the
 * first one scanned wins, so an idle pool of equal weights still spreads its clients round robin.
 *
 * <p>Lock-free, allocation-free and thread-safe (in {@link StripedCounter}'s sense); no atomic read-modify-write:
 * a pick reads and writes the calling thread's stripe once with plain (opaque) accesses, then reads each server's
 * active count (volatile reads). Taking the slot is the engine's, after the pick: one atomic add, or a CAS loop
 * where the server has a connection limit.
 */
final class WeightedLeastConnectionScheduler implements Scheduler {

    private final StripedCounter counter;

    WeightedLeastConnectionScheduler(ServerSet servers) {
        this(servers, SchedulerSettings.ofDefaults(), Schedulers.NO_PREVIOUS);
    }

    /** Takes over the tie-breaking position of {@code previous} when it is of the same kind (a reconfiguration). */
    WeightedLeastConnectionScheduler(ServerSet servers, SchedulerSettings settings, Scheduler previous) {
        this.counter = previous instanceof WeightedLeastConnectionScheduler p ? p.counter
                : new StripedCounter(servers.size(), settings.stripes());
    }

    @Override
    public int pick(ServerSet servers, long hash) {
        int n = servers.size();
        if (n <= 0) {
            return NONE;
        }
        int i = counter.next(n);
        int best = NONE;
        long bestLoad = 0;
        long bestWeight = 1;
        for (int step = 0; step < n; step++) {
            if (servers.isEligible(i)) {
                long weight = SlowStart.effectiveWeight(servers, i);
                if (weight > 0) {
                    long load = Math.max(servers.activeConnections(i), 0) + 1L;
                    // load / weight < bestLoad / bestWeight; both products stay below 2^63
                    if (best == NONE || load * bestWeight < bestLoad * weight) {
                        best = i;
                        bestLoad = load;
                        bestWeight = weight;
                    }
                }
            }
            if (++i == n) {
                i = 0;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "weighted-least-connection";
    }
}
