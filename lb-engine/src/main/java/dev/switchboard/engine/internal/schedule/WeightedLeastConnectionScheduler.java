package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;

/**
 * {@link dev.switchboard.api.SchedulingMethod#WEIGHTED_LEAST_CONNECTION}: the eligible server with the fewest
 * active connections per unit of effective weight, score {@code (active + 1) / (weight * ramp)}, compared by
 * cross-multiplication in {@code long} arithmetic. Servers of weight 0 are never picked.
 *
 * <p>A pick scans the pool from a position taken from a {@link StripedCounter}; on equal scores the first one scanned
 * wins, so an idle pool of equal weights still spreads its clients round robin. A pool of up to
 * {@value BoundedScan#EXACT_POOL} servers is scanned whole: the pick is the exact least-loaded server. A larger
 * pool is scanned only until {@value BoundedScan#CANDIDATES} eligible servers of weight above 0 have been compared
 * (a window that slides by one position per pick and steps over ineligible servers; the whole pool at worst), so
 * that a pick among 4,096 servers costs about what one among 16 does. The pick is then the least loaded server of
 * its window; the balance-quality simulation ({@code BalanceQuality large} in lb-benchmarks) compares it with the
 * exact scan.
 *
 * <p>Lock-free, allocation-free and thread-safe (in {@link StripedCounter}'s sense); no atomic read-modify-write:
 * a pick reads and writes the calling thread's stripe once with plain (opaque) accesses, then reads each server's
 * active count (volatile reads). Taking the slot is the engine's, after the pick: one atomic add, or a CAS loop
 * where the server has a connection limit.
 */
final class WeightedLeastConnectionScheduler implements Scheduler {

    private final StripedCounter counter;
    /** Eligible servers compared per pick in a pool larger than {@value BoundedScan#EXACT_POOL}. */
    private final int candidates;
    /** The step between successive starting positions (see {@link BoundedScan#stride}), for the pool's size. */
    private final int stride;
    private final int size;

    WeightedLeastConnectionScheduler(ServerSet servers) {
        this(servers, SchedulerSettings.ofDefaults(), Schedulers.NO_PREVIOUS);
    }

    /** Takes over the tie-breaking position of {@code previous} when it is of the same kind (a reconfiguration). */
    WeightedLeastConnectionScheduler(ServerSet servers, SchedulerSettings settings, Scheduler previous) {
        this(servers, settings, previous, BoundedScan.CANDIDATES);
    }

    /**
     * As above, comparing {@code candidates} eligible servers per pick in a pool larger than
     * {@value BoundedScan#EXACT_POOL} (tests compare {@code Integer.MAX_VALUE}, the exact scan, with the default).
     */
    WeightedLeastConnectionScheduler(ServerSet servers, SchedulerSettings settings, Scheduler previous,
            int candidates) {
        this.candidates = BoundedScan.candidates(candidates);
        this.size = servers.size();
        this.stride = BoundedScan.stride(size);
        this.counter = previous instanceof WeightedLeastConnectionScheduler p ? p.counter
                : new StripedCounter(servers.size(), settings.stripes());
    }

    @Override
    public int pick(ServerSet servers, long hash) {
        int n = servers.size();
        if (n <= 0) {
            return NONE;
        }
        int i = BoundedScan.start(counter.next(n), n, n == size ? stride : 1);
        int limit = BoundedScan.limit(n, candidates);
        int compared = 0;
        int best = NONE;
        long bestLoad = 0;
        long bestWeight = 1;
        for (int step = 0; step < n && compared < limit; step++) {
            if (servers.isEligible(i)) {
                long weight = SlowStart.effectiveWeight(servers, i);
                if (weight > 0) {
                    compared++;
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
