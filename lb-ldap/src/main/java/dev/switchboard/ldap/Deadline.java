package dev.switchboard.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;

/**
 * The end of one authentication's time, on {@link System#nanoTime()}: each LDAP operation gets what is left of it as
 * its response timeout. Immutable.
 */
final class Deadline {

    private final long endNanos;

    Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    /**
     * The milliseconds left (at least 1).
     *
     * @throws LDAPException with {@link ResultCode#TIMEOUT} when none are left
     */
    long remainingMillis() throws LDAPException {
        long left = endNanos - System.nanoTime();
        if (left <= 0) {
            throw new LDAPException(ResultCode.TIMEOUT, "the authentication's time is up");
        }
        return Math.max(1, left / 1_000_000L);
    }

    /** Whether no time is left. */
    boolean passed() {
        return endNanos - System.nanoTime() <= 0;
    }
}
