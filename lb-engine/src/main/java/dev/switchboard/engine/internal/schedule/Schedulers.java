package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.spi.SchedulerFactory;
import dev.switchboard.api.spi.ServerSet;
import java.util.Objects;

/**
 * The built-in schedulers, one {@link SchedulerFactory} per {@link SchedulingMethod}.
 *
 * <pre>{@code
 * Scheduler scheduler = Schedulers.factory(SchedulingMethod.WEIGHTED_ROUND_ROBIN).create(pool);
 * int server = scheduler.pick(pool, clientHash);   // an index into pool, or Scheduler.NONE
 * }</pre>
 *
 * <p>Every built-in scheduler follows the {@link dev.switchboard.api.spi.Scheduler} contract: {@code pick} is
 * lock-free, allocates nothing, never throws, returns an index that was eligible when it was checked (or
 * {@code Scheduler.NONE} when none was), and may be called by any number of threads at once with the pool it
 * was created for. Weights and pool size are read at creation where a scheduler precomputes something
 * (weighted round robin, fixed weighting, source-IP hash); eligibility, slow-start ramp and active connections
 * are read on every pick. Every scheduler applies slow start: a server at ramp {@code r} gets about
 * {@code r / 1000} of its normal share.
 *
 * <p>A factory is stateless and thread-safe; each {@code create} returns a new scheduler with its own state.
 */
public final class Schedulers {

    private Schedulers() {
    }

    /**
     * The factory of a built-in scheduler.
     *
     * @throws NullPointerException when {@code method} is null
     */
    public static SchedulerFactory factory(SchedulingMethod method) {
        Objects.requireNonNull(method, "method");
        return switch (method) {
            case ROUND_ROBIN -> RoundRobinScheduler::new;
            case WEIGHTED_ROUND_ROBIN -> servers -> equalWeights(servers)
                    ? new RoundRobinScheduler(servers) : new WeightedRoundRobinScheduler(servers);
            case LEAST_CONNECTION -> LeastConnectionScheduler::new;
            case WEIGHTED_LEAST_CONNECTION -> WeightedLeastConnectionScheduler::new;
            case FIXED_WEIGHTING -> FixedWeightingScheduler::new;
            case SOURCE_IP_HASH -> SourceIpHashScheduler::new;
            case RANDOM -> RandomScheduler::new;
            case LEAST_LOADED -> LeastLoadedScheduler::new;
        };
    }

    /**
     * Whether every server of weight above 0 has the same weight: weighted round robin is then plain round robin
     * (weight-0 servers are never eligible), which saves the sequence lookup on every pick.
     */
    static boolean equalWeights(ServerSet servers) {
        int first = 0;
        for (int i = 0; i < servers.size(); i++) {
            int w = SlowStart.weight(servers, i);
            if (w == 0) {
                continue;
            }
            if (first == 0) {
                first = w;
            } else if (w != first) {
                return false;
            }
        }
        return true;
    }
}
