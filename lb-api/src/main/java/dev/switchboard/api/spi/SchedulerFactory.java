package dev.switchboard.api.spi;

/**
 * Creates the {@link Scheduler} of one pool. Called on the control plane when a configuration is compiled.
 *
 * <pre>{@code
 * Scheduling.custom("first-eligible", servers -> (set, hash) -> {
 *     for (int i = 0; i < set.size(); i++) if (set.isEligible(i)) return i;
 *     return Scheduler.NONE;
 * })
 * }</pre>
 */
@FunctionalInterface
public interface SchedulerFactory {

    /** A scheduler for {@code servers} (pool size and configured weights are known now). */
    Scheduler create(ServerSet servers);
}
