package dev.switchboard.config;

import dev.switchboard.netty.settings.ListenerSettings;

import dev.switchboard.api.LoadBalancer;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a reference gateway runs from: the engine's model, one {@link ListenerSettings} per virtual service
 * (same order as the model; its sub-services carry their health checks), and the admin API. Read from JSON by
 * {@link GatewayConfigReader}, or built in code. Immutable; thread-safe.
 */
public record GatewayConfig(AdminSettings admin, LoadBalancer loadBalancer, List<ListenerSettings> listeners) {

    public GatewayConfig {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        listeners = List.copyOf(listeners);
    }

    /** The listener of the virtual service {@code name}, if it has one. */
    public Optional<ListenerSettings> findListener(String name) {
        return listeners.stream().filter(l -> l.virtualService().equals(name)).findFirst();
    }
}
