package dev.switchboard.netty.settings;

import java.time.Duration;
import java.util.Objects;

/**
 * The gateway's timeouts for one virtual service, and the slowest a client may send. Immutable; thread-safe.
 *
 * <pre>{@code
 * Timeouts t = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(60),
 *         Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(10), 500, Duration.ofSeconds(20));
 * }</pre>
 *
 * @param connect            opening a connection to a real server
 * @param firstByte          from the request's last byte sent to the first byte of the real server's response
 * @param clientIdle         a client connection with no byte in either direction is closed after this
 * @param serverIdle         a pooled keep-alive connection to a real server is closed after this idle time
 * @param shutdown           on SIGTERM, how long in-flight requests may still finish
 * @param requestHead        the whole request head must arrive within this, counted from its first byte (from the
 *                           accept for a connection's first request); 408 and a close otherwise
 * @param requestBodyMinRate the fewest bytes per second of a request body, averaged over each
 *                           {@code requestBodyWindow} in which the gateway is reading it; 408 and a close below it
 * @param requestBodyWindow  the window over which {@code requestBodyMinRate} is measured
 * @param tunnelIdle         a tunnel (a connection upgraded by a {@code 101}, e.g. WebSocket) with no byte in
 *                           either direction is closed, both sides, after this
 */
public record Timeouts(Duration connect, Duration firstByte, Duration clientIdle, Duration serverIdle,
                       Duration shutdown, Duration requestHead, int requestBodyMinRate, Duration requestBodyWindow,
                       Duration tunnelIdle) {

    /** Request head 10 s. */
    public static final Duration DEFAULT_REQUEST_HEAD = Duration.ofSeconds(10);
    /** 500 bytes per second (Apache httpd's mod_reqtimeout {@code MinRate}). */
    public static final int DEFAULT_REQUEST_BODY_MIN_RATE = 500;
    /** 20 s (Apache httpd's mod_reqtimeout {@code body=20}). */
    public static final Duration DEFAULT_REQUEST_BODY_WINDOW = Duration.ofSeconds(20);
    /** Tunnel idle 1 h. */
    public static final Duration DEFAULT_TUNNEL_IDLE = Duration.ofHours(1);

    /**
     * Connect 3 s, first byte 60 s, client idle 60 s, server idle 30 s, shutdown 10 s, request head 10 s, request
     * bodies at least 500 bytes per second over 20 s, tunnel idle 1 h.
     */
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(60),
            Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(10));

    /**
     * Checks the values.
     *
     * @throws NullPointerException naming a missing duration
     * @throws IllegalArgumentException naming a request limit that is not positive
     */
    public Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(firstByte, "firstByte");
        Objects.requireNonNull(clientIdle, "clientIdle");
        Objects.requireNonNull(serverIdle, "serverIdle");
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(requestHead, "requestHead");
        Objects.requireNonNull(requestBodyWindow, "requestBodyWindow");
        Objects.requireNonNull(tunnelIdle, "tunnelIdle");
        if (tunnelIdle.isNegative() || tunnelIdle.isZero()) {
            throw new IllegalArgumentException("tunnelIdle: " + tunnelIdle + " (expected: > 0)");
        }
        if (requestHead.isNegative() || requestHead.isZero()) {
            throw new IllegalArgumentException("requestHead: " + requestHead + " (expected: > 0)");
        }
        if (requestBodyMinRate < 1) {
            throw new IllegalArgumentException("requestBodyMinRate: " + requestBodyMinRate + " (expected: >= 1)");
        }
        if (requestBodyWindow.isNegative() || requestBodyWindow.isZero()) {
            throw new IllegalArgumentException("requestBodyWindow: " + requestBodyWindow + " (expected: > 0)");
        }
    }

    /** The given timeouts with the default tunnel idle timeout. */
    public Timeouts(Duration connect, Duration firstByte, Duration clientIdle, Duration serverIdle,
            Duration shutdown, Duration requestHead, int requestBodyMinRate, Duration requestBodyWindow) {
        this(connect, firstByte, clientIdle, serverIdle, shutdown, requestHead, requestBodyMinRate,
                requestBodyWindow, DEFAULT_TUNNEL_IDLE);
    }

    /** These timeouts with {@code tunnelIdle} in place of this one's. */
    public Timeouts withTunnelIdle(Duration tunnelIdle) {
        return new Timeouts(connect, firstByte, clientIdle, serverIdle, shutdown, requestHead, requestBodyMinRate,
                requestBodyWindow, tunnelIdle);
    }

    /** The given timeouts with the default request head deadline and request body rate. */
    public Timeouts(Duration connect, Duration firstByte, Duration clientIdle, Duration serverIdle,
            Duration shutdown) {
        this(connect, firstByte, clientIdle, serverIdle, shutdown, DEFAULT_REQUEST_HEAD,
                DEFAULT_REQUEST_BODY_MIN_RATE, DEFAULT_REQUEST_BODY_WINDOW);
    }

    /**
     * The bytes a request body must bring in each {@link #requestBodyWindow}: rate times window, at least 1
     * (saturating for absurdly long windows).
     */
    public long requestBodyMinBytesPerWindow() {
        try {
            return Math.max(1, Math.multiplyExact(requestBodyMinRate, requestBodyWindow.toMillis()) / 1000);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
