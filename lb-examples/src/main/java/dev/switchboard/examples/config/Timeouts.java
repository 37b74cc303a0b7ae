package dev.switchboard.examples.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The gateway's timeouts for one virtual service.
 *
 * @param connect     opening a connection to a real server
 * @param firstByte   from the request's last byte sent to the first byte of the real server's response
 * @param clientIdle  a client connection with no byte in either direction is closed after this
 * @param serverIdle  a pooled keep-alive connection to a real server is closed after this idle time
 * @param shutdown    on SIGTERM, how long in-flight requests may still finish
 */
public record Timeouts(Duration connect, Duration firstByte, Duration clientIdle, Duration serverIdle,
                       Duration shutdown) {

    /** Connect 3 s, first byte 60 s, client idle 60 s, server idle 30 s, shutdown 10 s. */
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(60),
            Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(10));

    public Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(firstByte, "firstByte");
        Objects.requireNonNull(clientIdle, "clientIdle");
        Objects.requireNonNull(serverIdle, "serverIdle");
        Objects.requireNonNull(shutdown, "shutdown");
    }
}
