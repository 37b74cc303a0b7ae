package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import java.util.function.Consumer;

/** Runs one check against one address without blocking the caller; calls back exactly once with the outcome. */
public interface Probe extends AutoCloseable {

    void probe(Address address, HealthCheck check, Consumer<ProbeOutcome> callback);

    /**
     * Drops what the probe keeps between probes of {@code check} on {@code address} (a kept connection): no target
     * uses them any more. A probe in flight still reports. Nothing by default.
     */
    default void release(Address address, HealthCheck check) {
    }

    @Override
    void close();
}
