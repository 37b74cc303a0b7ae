package dev.switchboard.health.internal;

import dev.switchboard.api.Health;

/**
 * The rise/fall state machine of one probed endpoint. Starts in the initial state; the first result decides
 * (a success brings an initially down target up, a failure takes an initially up target down); after that,
 * {@code rise} consecutive successes bring it up and {@code fall} consecutive failures take it down.
 * Not thread-safe: used on the checker's loop thread only.
 */
public final class RiseFallState {

    private final int rise;
    private final int fall;
    private Health health;
    private boolean checked;
    private int successes;
    private int failures;

    public RiseFallState(Health initial, int rise, int fall) {
        this.health = initial;
        this.rise = rise;
        this.fall = fall;
    }

    public Health health() {
        return health;
    }

    /**
     * Whether the verdict is changing: a failure streak while up or a success streak while down that has not yet
     * reached fall or rise (the first result, which decides at once, never starts one).
     */
    public boolean changing() {
        return checked && ((health == Health.UP && failures > 0) || (health == Health.DOWN && successes > 0));
    }

    /** Whether at least one result was recorded. */
    public boolean checked() {
        return checked;
    }

    /**
     * Records one probe result.
     *
     * @return true when the verdict changed
     */
    public boolean record(boolean success) {
        boolean first = !checked;
        checked = true;
        if (success) {
            successes++;
            failures = 0;
            if (health == Health.DOWN && (first || successes >= rise)) {
                health = Health.UP;
                return true;
            }
        } else {
            failures++;
            successes = 0;
            if (health == Health.UP && (first || failures >= fall)) {
                health = Health.DOWN;
                return true;
            }
        }
        return false;
    }
}
