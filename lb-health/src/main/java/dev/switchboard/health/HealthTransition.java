package dev.switchboard.health;

import dev.switchboard.api.Health;
import java.util.Objects;

/**
 * A change of a target's health verdict. Immutable.
 *
 * @param target the target whose verdict changed
 * @param from the previous verdict
 * @param to the new verdict
 * @param reason why, as logged: {@code status 200}, {@code status 503 (expected: [200])}, {@code timeout},
 *               {@code body mismatch}, {@code connection refused}, {@code io error: ...}
 */
public record HealthTransition(HealthTarget target, Health from, Health to, String reason) {

    public HealthTransition {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }
}
