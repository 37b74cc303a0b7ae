/**
 * Active health checks per sub-service (per workload), reporting verdicts to the engine through
 * {@link dev.switchboard.api.spi.HealthSink}. Entry points: {@link dev.switchboard.health.HealthChecks} for check
 * configurations and {@link dev.switchboard.health.HealthChecker} to run them. HTTP and TCP checks exist; HTTPS,
 * agent and custom checks and passive outlier detection are not built yet (see CHANGELOG.md / issue 4).
 */
package dev.switchboard.health;
