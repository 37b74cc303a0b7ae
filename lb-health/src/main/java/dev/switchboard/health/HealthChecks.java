package dev.switchboard.health;

/**
 * Entry points for health check configurations.
 *
 * <pre>{@code
 * HealthCheck owa = HealthChecks.http().path("/owa/healthcheck.htm").expectStatus(200).rise(2).fall(3).build();
 * HealthCheck smtp = HealthChecks.tcp().interval(Duration.ofSeconds(5)).build();
 * }</pre>
 *
 * <p>HTTPS checks are not available yet: they will come with lb-tls (trust from the system, a given CA, or
 * insecure for labs).
 */
public final class HealthChecks {

    private HealthChecks() {
    }

    /** A builder for an HTTP check (GET {@code /}, statuses 200..399 by default). */
    public static HealthCheck.Builder http() {
        return new HealthCheck.Builder(HealthCheck.Type.HTTP);
    }

    /** A builder for a TCP connect check: up when a connection is accepted within the timeout. */
    public static HealthCheck.Builder tcp() {
        return new HealthCheck.Builder(HealthCheck.Type.TCP);
    }
}
