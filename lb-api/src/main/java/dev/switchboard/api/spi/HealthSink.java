package dev.switchboard.api.spi;

import dev.switchboard.api.Health;

/**
 * Where health checkers report verdicts; the engine implements it. Health is per real server per sub-service.
 * Thread-safe; calls never block the request path.
 */
public interface HealthSink {

    /**
     * Sets the health of one real server in one sub-service.
     *
     * @return false when no such server exists in the current configuration
     */
    boolean setHealth(String virtualService, String subService, String server, Health health, String reason);
}
