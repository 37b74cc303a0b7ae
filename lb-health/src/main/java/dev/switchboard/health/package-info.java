/**
 * Active health checks per sub-service and passive outlier detection, reporting verdicts to the engine through
 * {@link dev.switchboard.api.spi.HealthSink}. Not built yet: this module only reserves its place in the build
 * (see CHANGELOG.md).
 */
package dev.switchboard.health;
