package dev.switchboard.netty.settings;

/**
 * Size and count limits of one virtual service's listener.
 *
 * @param maxRequestLine           longest request line accepted (414 above it)
 * @param maxHeaderSize            largest request head accepted (431 above it)
 * @param maxPooledPerServer       keep-alive connections kept open to each real server
 * @param maxRetries               how many other real servers a failed, retryable request may be sent to
 * @param maxConnections           client connections the virtual service holds open at once (0: unlimited); one
 *                                 more is refused (http/https: 503, tcp: closed at accept)
 * @param maxConnectionsPerClient  connections one client address holds open at once, and behind a trusted proxy
 *                                 requests in flight per forwarded client (0: unlimited); one more is refused
 *                                 (http/https: 429, tcp: closed at accept)
 */
public record Limits(int maxRequestLine, int maxHeaderSize, int maxPooledPerServer, int maxRetries,
                     int maxConnections, int maxConnectionsPerClient) {

    /** Request line 8 KiB, head 16 KiB, 64 pooled connections per real server, 2 retries, no connection limits. */
    public static final Limits DEFAULTS = new Limits(8192, 16384, 64, 2, 0, 0);

    public Limits {
        if (maxRequestLine < 64) {
            throw new IllegalArgumentException("maxRequestLine: " + maxRequestLine + " (expected: >= 64)");
        }
        if (maxHeaderSize < 256) {
            throw new IllegalArgumentException("maxHeaderSize: " + maxHeaderSize + " (expected: >= 256)");
        }
        if (maxPooledPerServer < 0) {
            throw new IllegalArgumentException("maxPooledPerServer: " + maxPooledPerServer + " (expected: >= 0)");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries: " + maxRetries + " (expected: >= 0)");
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 0)");
        }
        if (maxConnectionsPerClient < 0) {
            throw new IllegalArgumentException("maxConnectionsPerClient: " + maxConnectionsPerClient
                    + " (expected: >= 0)");
        }
    }

    /** The size limits and retries given, with no connection limits. */
    public Limits(int maxRequestLine, int maxHeaderSize, int maxPooledPerServer, int maxRetries) {
        this(maxRequestLine, maxHeaderSize, maxPooledPerServer, maxRetries, 0, 0);
    }

    /** These limits with the connection limits given (0: unlimited). */
    public Limits withConnectionLimits(int maxConnections, int maxConnectionsPerClient) {
        return new Limits(maxRequestLine, maxHeaderSize, maxPooledPerServer, maxRetries, maxConnections,
                maxConnectionsPerClient);
    }
}
