package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;
import java.util.random.RandomGenerator;

/**
 * {@link dev.switchboard.api.SchedulingMethod#WEIGHTED_ROUND_ROBIN}: smooth weighted round robin.
 *
 * <p>At creation the weights, fixed for the life of the pool, are turned into one cycle of nginx's smooth
 * sequence ({@link SmoothWeightedSequence}, at most 4096 slots); a pick walks it with a {@link StripedCounter}.
 * An ineligible server's slot is skipped, a slow-starting server's slot is taken with probability ramp/1000 and
 * otherwise passed on; skipped slots are consumed, so the remaining servers keep their relative weights. A pick
 * scans at most {@code 2 * size + 16} slots; when that finds nothing (a long stretch of one ineligible heavy
 * server, or nothing eligible at all) it falls back to {@link WeightedRandom}, which keeps the same proportions
 * in expectation and answers {@link #NONE} in {@code O(size)} when nothing is eligible.
 *
 * <p>The position survives a reconfiguration (taken over by the next scheduler of the same sub-service; with
 * changed weights it lands somewhere in the new cycle). Random draws come from the engine's random source.
 *
 * <p>Lock-free, allocation-free and thread-safe (in {@link StripedCounter}'s sense); no atomic read-modify-write:
 * a pick reads and writes the calling thread's stripe with plain (opaque) accesses, once more when it had to skip.
 */
final class WeightedRoundRobinScheduler implements Scheduler {

    private final int[] sequence;
    private final int scanLimit;
    private final StripedCounter counter;
    private final RandomGenerator random;

    WeightedRoundRobinScheduler(ServerSet servers) {
        this(servers, SchedulerSettings.ofDefaults(), Schedulers.NO_PREVIOUS);
    }

    /** Takes over the position of {@code previous} when it is a weighted round robin too (a reconfiguration). */
    WeightedRoundRobinScheduler(ServerSet servers, SchedulerSettings settings, Scheduler previous) {
        int n = servers.size();
        int[] weights = new int[n];
        for (int i = 0; i < n; i++) {
            weights[i] = SlowStart.weight(servers, i);
        }
        this.sequence = SmoothWeightedSequence.of(weights);
        this.scanLimit = Math.min(sequence.length, 2 * n + 16);
        this.counter = previous instanceof WeightedRoundRobinScheduler p ? p.counter
                : new StripedCounter(sequence.length, settings.stripes());
        this.random = settings.random();
    }

    @Override
    public int pick(ServerSet servers, long hash) {
        int[] slots = sequence;
        int length = slots.length;
        if (length == 0) {
            return NONE;
        }
        int n = servers.size();
        int position = counter.next(length);
        for (int step = 0; step < scanLimit; step++) {
            int i = slots[position];
            if (i < n && servers.isEligible(i) && SlowStart.admits(servers.rampPermille(i), random)) {
                if (step > 0) {
                    counter.advance(step);
                }
                return i;
            }
            if (++position == length) {
                position = 0;
            }
        }
        counter.advance(scanLimit - 1);
        return WeightedRandom.draw(servers, random);
    }

    /** The length of one cycle of the sequence (for tests). */
    int cycleLength() {
        return sequence.length;
    }

    @Override
    public String toString() {
        return "weighted-round-robin";
    }
}
