/**
 * Active health checks per sub-service (per workload), reporting verdicts to the engine through
 * {@link dev.switchboard.api.spi.HealthSink}. The checks themselves are part of the model
 * ({@link dev.switchboard.api.HealthCheck}, set with {@code SubService.Builder.healthCheck}); this package runs them:
 * {@link dev.switchboard.health.HealthChecker#apply(dev.switchboard.api.LoadBalancer)} follows the model, and
 * {@link dev.switchboard.health.HealthTargets} computes its targets. HTTP, HTTPS (trust from lb-tls), TCP, agent and
 * custom checks exist, with a faster interval while a verdict changes; {@link dev.switchboard.health.OutlierDetector}
 * adds passive outlier detection.
 */
package dev.switchboard.health;
