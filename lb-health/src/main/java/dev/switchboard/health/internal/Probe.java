package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.health.HealthCheck;
import java.util.function.Consumer;

/** Runs one check against one address without blocking the caller; calls back exactly once with the outcome. */
public interface Probe extends AutoCloseable {

    void probe(Address address, HealthCheck check, Consumer<ProbeOutcome> callback);

    @Override
    void close();
}
