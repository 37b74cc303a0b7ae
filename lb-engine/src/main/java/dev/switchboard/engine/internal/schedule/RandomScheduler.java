package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * {@link dev.switchboard.api.SchedulingMethod#RANDOM}: weighted random among the eligible servers, each with
 * probability proportional to weight times ramp (see {@link WeightedRandom}). Two passes over the pool per pick.
 *
 * <p>Draws come from the engine's random source. Stateless, lock-free, allocation-free and thread-safe.
 */
final class RandomScheduler implements Scheduler {

    private final RandomGenerator random;

    RandomScheduler(ServerSet servers) {
        this(servers, PerThreadRandom.INSTANCE);
    }

    RandomScheduler(ServerSet servers, RandomGenerator random) {
        Objects.requireNonNull(servers, "servers");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public int pick(ServerSet servers, long hash) {
        return WeightedRandom.draw(servers, random);
    }

    @Override
    public String toString() {
        return "random";
    }
}
