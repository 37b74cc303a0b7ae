package dev.switchboard.api.event;

import dev.switchboard.api.LoadBalancer;
import java.util.Objects;

/**
 * A new configuration is in force: the engine swapped its routing table for one compiled from {@code current}.
 * Not sent for a reconfiguration whose model equals the one in force (nothing is swapped then), nor for one that
 * failed (the old configuration stays).
 *
 * @param previous the model that was in force
 * @param current the model now in force
 */
public record ConfigurationEvent(LoadBalancer previous, LoadBalancer current) {

    public ConfigurationEvent {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
    }
}
