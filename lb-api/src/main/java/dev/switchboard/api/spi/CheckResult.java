package dev.switchboard.api.spi;

import java.util.Objects;

/**
 * The verdict of one {@link CustomCheck} probe. Immutable.
 *
 * <pre>{@code
 * CheckResult.up("pong in 3 ms");
 * CheckResult.down("replica lag 45 s");
 * }</pre>
 *
 * @param success whether the probe passed
 * @param reason a short reason, logged at INFO on a transition and kept as the last probe's reason
 */
public record CheckResult(boolean success, String reason) {

    public CheckResult {
        Objects.requireNonNull(reason, "reason");
    }

    /** A passed probe. */
    public static CheckResult up(String reason) {
        return new CheckResult(true, reason);
    }

    /** A failed probe. */
    public static CheckResult down(String reason) {
        return new CheckResult(false, reason);
    }
}
