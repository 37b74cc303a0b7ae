package dev.switchboard.examples.config;

/**
 * Size and count limits of one virtual service's listener.
 *
 * @param maxRequestLine           longest request line accepted (414 above it)
 * @param maxHeaderSize            largest request head accepted (431 above it)
 * @param maxPooledPerServer       keep-alive connections kept open to each real server
 * @param maxRetries               how many other real servers a failed, retryable request may be sent to
 */
public record Limits(int maxRequestLine, int maxHeaderSize, int maxPooledPerServer, int maxRetries) {

    /** Request line 8 KiB, head 16 KiB, 64 pooled connections per real server, 2 retries. */
    public static final Limits DEFAULTS = new Limits(8192, 16384, 64, 2);

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
    }
}
