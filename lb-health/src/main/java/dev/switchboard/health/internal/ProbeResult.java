package dev.switchboard.health.internal;

/**
 * The outcome of one probe.
 *
 * @param success whether the probe passed
 * @param reason a short reason, such as {@code status 200} or {@code timeout}
 * @param latencyNanos time from start to outcome
 */
public record ProbeResult(boolean success, String reason, long latencyNanos) {

    public static ProbeResult ok(String reason, long latencyNanos) {
        return new ProbeResult(true, reason, latencyNanos);
    }

    public static ProbeResult failed(String reason, long latencyNanos) {
        return new ProbeResult(false, reason, latencyNanos);
    }
}
