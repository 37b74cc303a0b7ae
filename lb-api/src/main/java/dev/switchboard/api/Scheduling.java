package dev.switchboard.api;

import dev.switchboard.api.spi.SchedulerFactory;
import java.util.Objects;

/**
 * Which scheduler a pool uses: a built-in {@link SchedulingMethod} or a user's {@link SchedulerFactory}.
 * Immutable.
 *
 * <pre>{@code Scheduling.of(SchedulingMethod.WEIGHTED_LEAST_CONNECTION)}</pre>
 */
public final class Scheduling {

    private final SchedulingMethod method;
    private final SchedulerFactory custom;
    private final String name;

    private Scheduling(SchedulingMethod method, SchedulerFactory custom, String name) {
        this.method = method;
        this.custom = custom;
        this.name = name;
    }

    /** A built-in scheduler. */
    public static Scheduling of(SchedulingMethod method) {
        return new Scheduling(Objects.requireNonNull(method, "method"), null, method.configName());
    }

    /** A user's scheduler; {@code name} shows in traces and stats. */
    public static Scheduling custom(String name, SchedulerFactory factory) {
        return new Scheduling(null, Objects.requireNonNull(factory, "factory"), Objects.requireNonNull(name, "name"));
    }

    /** The built-in method, unless this is a custom scheduler. */
    public java.util.Optional<SchedulingMethod> findMethod() {
        return java.util.Optional.ofNullable(method);
    }

    /** The custom factory, if this is a custom scheduler. */
    public java.util.Optional<SchedulerFactory> findCustom() {
        return java.util.Optional.ofNullable(custom);
    }

    /** The name: the configuration name of a built-in, or the custom scheduler's name. */
    public String name() {
        return name;
    }

    /**
     * Equal when every setting is equal (a custom factory by identity): the engine skips a reconfiguration whose
     * model equals the one in force.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Scheduling other)) {
            return false;
        }
        return Objects.equals(method, other.method)
                && Objects.equals(custom, other.custom)
                && Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, custom, name);
    }

    @Override
    public String toString() {
        return name;
    }
}
