package dev.switchboard.config;

import dev.switchboard.health.HealthCheck;

import java.util.Objects;

/** The active health check configured for one sub-service: every real server of it is probed with {@code check}. */
public record HealthBinding(String virtualService, String subService, HealthCheck check) {

    public HealthBinding {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(check, "check");
    }
}
