/**
 * Active health checks per sub-service (per workload), reporting verdicts to the engine through
 * {@link dev.switchboard.api.spi.HealthSink}. Entry points: {@link dev.switchboard.health.HealthChecks} for check
 * configurations and {@link dev.switchboard.health.HealthChecker} to run them. HTTP, HTTPS (trust from
 * lb-tls), TCP and agent checks exist, with a faster interval while a verdict changes; agent wishes are reported to
 * listeners but not yet applied by the engine. Custom checks and passive outlier detection are not built yet
 * (issue 4).
 */
package dev.switchboard.health;
