package dev.switchboard.netty.limit;

/**
 * What {@link ConnectionLimiter#admit} decided for a new connection (or, behind a trusted proxy, a request), and
 * how a refusal is answered: an http/https client gets {@link #status()} on its first request with
 * {@code Connection: close} and {@code Retry-After}; a tcp client, and anyone above the gateway's cap, is closed at
 * accept.
 */
public enum Admission {

    /** Within every limit. */
    ACCEPTED(0, ""),
    /** The gateway's cap (derived from the file-descriptor limit) is reached: closed at accept. */
    REFUSED_GATEWAY(0, "gatewayMaxConnections"),
    /** The virtual service's {@code limits.maxConnections} is reached: 503. */
    REFUSED_SERVICE(503, "maxConnections"),
    /** The client address's {@code limits.maxConnectionsPerClient} is reached: 429. */
    REFUSED_CLIENT(429, "maxConnectionsPerClient");

    private final int status;
    private final String limit;

    Admission(int status, String limit) {
        this.status = status;
        this.limit = limit;
    }

    /** The status a refused http/https request is answered with; 0 when the connection is closed without one. */
    public int status() {
        return status;
    }

    /** The name of the limit that refused, as in the configuration and {@code /api/stats}; "" when accepted. */
    public String limit() {
        return limit;
    }

    public boolean accepted() {
        return this == ACCEPTED;
    }
}
