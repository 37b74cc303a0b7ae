package dev.switchboard.engine.internal.schedule;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.ServerSet;
import java.util.Objects;

/**
 * {@link dev.switchboard.api.SchedulingMethod#RANDOM}: weighted random among the eligible servers, each with
 * probability proportional to weight times ramp (see {@link WeightedRandom}). Two passes over the pool per pick.
 *
 * <p>Stateless, lock-free, allocation-free and thread-safe.
 */
final class RandomScheduler implements Scheduler {

    RandomScheduler(ServerSet servers) {
        Objects.requireNonNull(servers, "servers");
    }

    @Override
    public int pick(ServerSet servers, long hash) {
        return WeightedRandom.draw(servers);
    }

    @Override
    public String toString() {
        return "random";
    }
}
