package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;

/**
 * {@link dev.switchboard.api.SchedulingMethod#LEAST_CONNECTION}: the eligible server with the fewest active
 * connections, weights ignored.
 *
 * <p>Slow start uses the ramp as a weight: the score is {@code (active + 1) * 1000 / ramp}, compared by
 * cross-multiplication in {@code long} arithmetic. A server coming back with no connections at ramp 50 scores
 * 20, so it takes a new client only while the others have 20 or more each, and not every new client at once.
 *
 * <p>A pick scans the pool from a position taken from a {@link StripedCounter}; on equal scores the first one scanned
 * wins, so an idle pool still spreads its clients round robin. A pool of up to {@value BoundedScan#EXACT_POOL}
 * servers is scanned whole: the pick is the exact least-connection server. A larger pool is scanned only until
 * {@value BoundedScan#CANDIDATES} eligible servers have been compared (a window that slides by one position per
 * pick and steps over ineligible servers; the whole pool at worst), so that a pick among 4,096 servers costs about
 * what one among 16 does. The pick is then the least loaded server of its window; the balance-quality simulation
 * ({@code BalanceQuality large} in lb-benchmarks) compares it with the exact scan.
 *
 * <p>Lock-free, allocation-free and thread-safe (in {@link StripedCounter}'s sense); no atomic read-modify-write:
 * a pick reads and writes the calling thread's stripe once with plain (opaque) accesses, then reads each server's
 * active count (volatile reads). Taking the slot is the engine's, after the pick: one atomic add, or a CAS loop
 * where the server has a connection limit.
 */
final class LeastConnectionScheduler implements Scheduler {

    private final StripedCounter counter;
    /** Eligible servers compared per pick in a pool larger than {@value BoundedScan#EXACT_POOL}. */
    private final int candidates;
    /** The step between successive starting positions (see {@link BoundedScan#stride}), for the pool's size. */
    private final int stride;
    private final int size;

    LeastConnectionScheduler(ServerSet servers) {
        this(servers, SchedulerSettings.ofDefaults(), Schedulers.NO_PREVIOUS);
    }

    /** Takes over the tie-breaking position of {@code previous} when it is of the same kind (a reconfiguration). */
    LeastConnectionScheduler(ServerSet servers, SchedulerSettings settings, Scheduler previous) {
        this(servers, settings, previous, BoundedScan.CANDIDATES);
    }

    /**
     * As above, comparing {@code candidates} eligible servers per pick in a pool larger than
     * {@value BoundedScan#EXACT_POOL} (tests compare {@code Integer.MAX_VALUE}, the exact scan, with the default).
     */
    LeastConnectionScheduler(ServerSet servers, SchedulerSettings settings, Scheduler previous, int candidates) {
        this.candidates = BoundedScan.candidates(candidates);
        this.size = servers.size();
        this.stride = BoundedScan.stride(size);
        this.counter = previous instanceof LeastConnectionScheduler p ? p.counter
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
        long bestRamp = 1;
        for (int step = 0; step < n && compared < limit; step++) {
            if (servers.isEligible(i)) {
                compared++;
                long load = Math.max(servers.activeConnections(i), 0) + 1L;
                long ramp = SlowStart.permille(servers, i);
                // load / ramp < bestLoad / bestRamp
                if (best == NONE || load * bestRamp < bestLoad * ramp) {
                    best = i;
                    bestLoad = load;
                    bestRamp = ramp;
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
        return "least-connection";
    }
}
