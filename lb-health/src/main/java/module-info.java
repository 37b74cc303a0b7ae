/**
 * Active health checks and passive outlier detection for Switchboard: {@code dev.switchboard.health}
 * ({@code HealthChecker}, which probes the {@code HealthCheck}s of lb-api's model, and {@code OutlierDetector}). Everything in
 * {@code dev.switchboard.health.internal} is implementation and not exported. Depends on lb-api and lb-tls, never
 * on lb-engine.
 */
@SuppressWarnings("requires-automatic")   // each automatic module required is named below
module dev.switchboard.health {
    requires transitive dev.switchboard.api;
    requires dev.switchboard.tls;    // HTTPS probes: upstream trust contexts

    requires io.github.resilience4j.circuitbreaker;    // Automatic-Module-Name
    requires jdk.net;           // ExtendedSocketOptions for the TCP probe
    requires okhttp3;
    // re2j 1.8 has no Automatic-Module-Name: see lb-engine's module-info. Used for body patterns, not exported.
    requires re2j;
    requires org.slf4j;

    exports dev.switchboard.health;
}
