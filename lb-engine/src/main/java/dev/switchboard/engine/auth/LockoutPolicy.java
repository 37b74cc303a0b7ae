package dev.switchboard.engine.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When repeated failed logins lock a user or a client address out, and for how long: {@code userFailures} failures
 * of one user (or {@code clientFailures} from one address) within {@code window} lock it for {@code lockout}, doubled
 * at each further lockout within the tracking time, up to {@code maxLockout}. At most {@code maxTracked} users and
 * as many addresses are tracked (the least recently used are forgotten first), so memory stays bounded whatever an
 * attacker sends. Immutable.
 *
 * <pre>{@code
 * LockoutPolicy p = new LockoutPolicy(5, 20, Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofMinutes(30),
 *         100_000);
 * }</pre>
 *
 * @param userFailures failures of one user that lock it (1..1000)
 * @param clientFailures failures from one client address that lock it (1..100000)
 * @param window the time within which failures add up
 * @param lockout the first lockout's length
 * @param maxLockout the longest lockout (at least {@code lockout})
 * @param maxTracked users (and, separately, addresses) tracked at most (1..10000000)
 */
public record LockoutPolicy(int userFailures, int clientFailures, Duration window, Duration lockout,
        Duration maxLockout, int maxTracked) {

    /** 5 per user, 20 per address, in 15 minutes; 1 minute doubling up to 30; 100,000 tracked. */
    public static final LockoutPolicy DEFAULTS = new LockoutPolicy(5, 20, Duration.ofMinutes(15),
            Duration.ofMinutes(1), Duration.ofMinutes(30), 100_000);

    /** @throws IllegalArgumentException naming every bad field and value */
    public LockoutPolicy {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(lockout, "lockout");
        Objects.requireNonNull(maxLockout, "maxLockout");
        List<String> wrong = new ArrayList<>();
        if (userFailures < 1 || userFailures > 1_000) {
            wrong.add("userFailures: " + userFailures + " (expected: 1..1000)");
        }
        if (clientFailures < 1 || clientFailures > 100_000) {
            wrong.add("clientFailures: " + clientFailures + " (expected: 1..100000)");
        }
        if (window.isNegative() || window.isZero()) {
            wrong.add("window: " + window + " (expected: more than zero)");
        }
        if (lockout.isNegative() || lockout.isZero()) {
            wrong.add("lockout: " + lockout + " (expected: more than zero)");
        }
        if (maxLockout.compareTo(lockout) < 0) {
            wrong.add("maxLockout: " + maxLockout + " (expected: at least the lockout " + lockout + ")");
        }
        if (maxTracked < 1 || maxTracked > 10_000_000) {
            wrong.add("maxTracked: " + maxTracked + " (expected: 1..10000000)");
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", wrong));
        }
    }
}
