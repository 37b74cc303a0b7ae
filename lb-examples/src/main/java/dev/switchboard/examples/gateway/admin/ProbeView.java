package dev.switchboard.examples.gateway.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The last active probe of a real server, for the admin API and the stats page.
 *
 * @param time    when it finished
 * @param latency how long it took
 * @param status  the HTTP status, or 0 when there was none (TCP check, connection refused, timeout)
 * @param success whether it counted as a success
 * @param reason  why, in a few words (e.g. {@code "status 503"}, {@code "timeout after 1s"})
 */
public record ProbeView(Instant time, Duration latency, int status, boolean success, String reason) {

    public ProbeView {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(reason, "reason");
    }
}
