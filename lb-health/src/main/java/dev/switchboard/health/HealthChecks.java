package dev.switchboard.health;

/**
 * Entry points for health check configurations.
 *
 * <pre>{@code
 * HealthCheck owa = HealthChecks.http().path("/owa/healthcheck.htm").expectStatus(200).rise(2).fall(3).build();
 * HealthCheck ews = HealthChecks.https().path("/ews/healthcheck.htm").hostHeader("mail.example.com")
 *         .trustCertificates(Path.of("/etc/lb/internal-ca.pem")).build();
 * HealthCheck smtp = HealthChecks.tcp().interval(Duration.ofSeconds(5)).build();
 * HealthCheck load = HealthChecks.agent().port(9777).build();
 * HealthCheck db = HealthChecks.custom("pg-ping", address -> pinger.ping(address)).timeout(Duration.ofSeconds(2)).build();
 * }</pre>
 */
public final class HealthChecks {

    private HealthChecks() {
    }

    /**
     * A builder for an HTTP check (GET {@code /}, statuses 200..399 by default; the connection is kept for the next
     * probe, see {@link HealthCheck.Builder#reuseConnection(boolean)}).
     */
    public static HealthCheck.Builder http() {
        return new HealthCheck.Builder(HealthCheck.Type.HTTP);
    }

    /**
     * A builder for an HTTPS check: an HTTP check over TLS made by lb-tls ({@code TlsContexts.upstream}, Conscrypt
     * when it loads). Trust is the system roots unless {@code trustCertificates(caPem)} or {@code insecure()} is
     * set. The SNI name and the name checked against the certificate are the Host header's host when set, else the
     * target's host; the connection always goes to the target's address. Each probe opens a new connection (with a
     * full TLS handshake); {@code reuseConnection} is not available.
     */
    public static HealthCheck.Builder https() {
        return new HealthCheck.Builder(HealthCheck.Type.HTTPS);
    }

    /**
     * A builder for a TCP connect check: up when the server answers the connection within the timeout (its kernel
     * completes the handshake: the port listens and its backlog has room). On Linux the probe then resets the
     * connection in place of the handshake's last ACK, as HAProxy's checks do, so the server's application does not
     * accept, log and close a connection per probe; to see the application answer, use an HTTP or agent check.
     */
    public static HealthCheck.Builder tcp() {
        return new HealthCheck.Builder(HealthCheck.Type.TCP);
    }

    /**
     * A builder for a TCP agent check: connects (usually to a dedicated {@code port}), reads one line of at most
     * 512 bytes, and parses it as an {@link AgentReport}. The answer {@code down} (or {@code failed},
     * {@code stopped}) and an unreadable answer count as failures, any other readable answer as a success; the
     * wishes go to {@link HealthListener#onAgentReport}.
     */
    public static HealthCheck.Builder agent() {
        return new HealthCheck.Builder(HealthCheck.Type.AGENT);
    }

    /**
     * A builder for an HTTP agent check: an HTTP check whose response body (first 512 bytes) is the agent's answer,
     * judged as for {@link #agent()} once the status is an expected one.
     */
    public static HealthCheck.Builder httpAgent() {
        return new HealthCheck.Builder(HealthCheck.Type.HTTP_AGENT);
    }

    /**
     * A builder for a check that runs your {@link CustomCheck} against each target's address (or its host with the
     * check's {@code port}), with the usual interval, timeout, rise, fall and initial state. Targets with the same
     * address and an equal check (same name, same {@code CustomCheck} instance, same settings) share one probe.
     *
     * @param name what logs and reasons call the check (1..64 printable characters, checked by {@code build()})
     */
    public static HealthCheck.Builder custom(String name, CustomCheck check) {
        return new HealthCheck.Builder(name, check);
    }
}
