package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;
import java.util.random.RandomGenerator;

/**
 * {@link dev.switchboard.api.SchedulingMethod#ROUND_ROBIN}: the servers in turn, weights ignored.
 *
 * <p>The position comes from a {@link StripedCounter}. An ineligible server is skipped by scanning forward (at
 * most one lap); a slow-starting server's turn is taken with probability ramp/1000 and otherwise passed on to
 * the next server. Skipped turns are consumed (the stripe moves on by the number skipped), so the servers that
 * remain share the load evenly instead of the server behind a gap taking the gap's share too. When every
 * eligible server is slow-starting and all of them passed, the first of them is taken.
 *
 * <p>The position survives a reconfiguration: the scheduler that replaces this one for the same sub-service
 * walks on from it instead of starting at the first server again.
 *
 * <p>Lock-free, allocation-free and thread-safe (in {@link StripedCounter}'s sense); no atomic read-modify-write:
 * a pick reads and writes the calling thread's stripe with plain (opaque) accesses, once more when it had to skip.
 */
final class RoundRobinScheduler implements Scheduler {

    private final StripedCounter counter;
    private final RandomGenerator random;

    RoundRobinScheduler(ServerSet servers) {
        this(servers, SchedulerSettings.ofDefaults(), Schedulers.NO_PREVIOUS);
    }

    /** Takes over the position of {@code previous} when it is a round robin too (a reconfiguration). */
    RoundRobinScheduler(ServerSet servers, SchedulerSettings settings, Scheduler previous) {
        this.counter = previous instanceof RoundRobinScheduler p ? p.counter
                : new StripedCounter(servers.size(), settings.stripes());
        this.random = settings.random();
    }

    @Override
    public int pick(ServerSet servers, long hash) {
        int n = servers.size();
        if (n <= 0) {
            return NONE;
        }
        int i = counter.next(n);
        int passed = NONE;
        for (int step = 0; step < n; step++) {
            if (servers.isEligible(i)) {
                if (SlowStart.admits(servers.rampPermille(i), random)) {
                    if (step > 0) {
                        counter.advance(step);
                    }
                    return i;
                }
                if (passed == NONE) {
                    passed = i;
                }
            }
            if (++i == n) {
                i = 0;
            }
        }
        return passed;
    }

    @Override
    public String toString() {
        return "round-robin";
    }
}
