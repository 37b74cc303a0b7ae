package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.SchedulerFactory;
import dev.switchboard.api.spi.ServerSet;
import java.util.Objects;
import java.util.random.RandomGenerator;

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
 * <p>A factory is stateless and thread-safe; each {@code create} returns a new scheduler with its own state, except
 * what {@link #create} is told to take over from the scheduler it replaces.
 */
public final class Schedulers {

    /** What a new sub-service's scheduler follows: nothing, so it starts its positions afresh. */
    public static final Scheduler NO_PREVIOUS = (servers, hash) -> Scheduler.NONE;

    private Schedulers() {
    }

    /** The default random source: the calling thread's {@link java.util.concurrent.ThreadLocalRandom}. */
    public static RandomGenerator perThreadRandom() {
        return PerThreadRandom.INSTANCE;
    }

    /**
     * The factory of a built-in scheduler, drawing from {@link #perThreadRandom()}.
     *
     * @throws NullPointerException when {@code method} is null
     */
    public static SchedulerFactory factory(SchedulingMethod method) {
        return factory(method, PerThreadRandom.INSTANCE);
    }

    /**
     * The factory of a built-in scheduler whose random draws (slow start, random, least loaded) come from
     * {@code random}; {@code random} is called from every picking thread, without synchronization.
     *
     * @throws NullPointerException when an argument is null
     */
    public static SchedulerFactory factory(SchedulingMethod method, RandomGenerator random) {
        return factory(method, new SchedulerSettings(random, StripedCounter.DEFAULT_STRIPES));
    }

    /**
     * The factory of a built-in scheduler with the given random source and stripes.
     *
     * @throws NullPointerException when an argument is null
     */
    public static SchedulerFactory factory(SchedulingMethod method, SchedulerSettings settings) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(settings, "settings");
        return servers -> create(method, servers, settings, NO_PREVIOUS);
    }

    /**
     * A built-in scheduler for {@code servers}, with the random source and stripes of {@code settings}, that
     * takes over what must survive a reconfiguration from {@code previous}, the scheduler of the same sub-service
     * in the table being replaced ({@link #NO_PREVIOUS} for none): the round-robin position (round robin, weighted
     * round robin) and the tie-breaking position (least connection, weighted least connection), when
     * {@code previous} is of the same kind. The two schedulers then share that position, so requests still in the
     * old table and those in the new one walk on together.
     *
     * @throws NullPointerException when an argument is null
     */
    public static Scheduler create(SchedulingMethod method, ServerSet servers, SchedulerSettings settings,
            Scheduler previous) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(servers, "servers");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(previous, "previous");
        return switch (method) {
            case ROUND_ROBIN -> new RoundRobinScheduler(servers, settings, previous);
            case WEIGHTED_ROUND_ROBIN -> equalWeights(servers) ? new RoundRobinScheduler(servers, settings, previous)
                    : new WeightedRoundRobinScheduler(servers, settings, previous);
            case LEAST_CONNECTION -> new LeastConnectionScheduler(servers, settings, previous);
            case WEIGHTED_LEAST_CONNECTION -> new WeightedLeastConnectionScheduler(servers, settings, previous);
            case FIXED_WEIGHTING -> new FixedWeightingScheduler(servers);
            case SOURCE_IP_HASH -> new SourceIpHashScheduler(servers);
            case RANDOM -> new RandomScheduler(servers, settings.random());
            case LEAST_LOADED -> new LeastLoadedScheduler(servers, settings.random());
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
