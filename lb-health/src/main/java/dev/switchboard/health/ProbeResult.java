package dev.switchboard.health;

import dev.switchboard.health.internal.ProbeGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The last probe of a target, as an admin page shows it: {@link HealthChecker#findLastProbe}. Immutable.
 *
 * <pre>{@code
 * checker.findLastProbe("mail", "owa", "ex01").ifPresent(p ->
 *         page.row(p.time(), p.latency().toMillis() + " ms", p.status(), p.success() ? "ok" : p.reason()));
 * }</pre>
 *
 * @param time when the probe ended (on the checker's clock)
 * @param latency how long it took, up to the check's timeout
 * @param status the HTTP status received, 0 where there was none (TCP, agent and custom checks, connection errors,
 *               timeouts)
 * @param success whether the probe passed (one result; the verdict moves only after rise or fall of them)
 * @param reason why, e.g. {@code status 200}, {@code timeout}, {@code connection refused}
 */
public record ProbeResult(Instant time, Duration latency, int status, boolean success, String reason) {

    public ProbeResult {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(reason, "reason");
    }

    /** The result of the probe {@code p}; a negative latency (a clock step) counts as 0. */
    static ProbeResult of(ProbeGroup.Probed p) {
        return new ProbeResult(p.time(), Duration.ofNanos(Math.max(0, p.outcome().latencyNanos())),
                p.outcome().status(), p.outcome().success(), p.outcome().reason());
    }
}
