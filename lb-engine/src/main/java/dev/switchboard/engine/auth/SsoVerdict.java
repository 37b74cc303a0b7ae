package dev.switchboard.engine.auth;

import java.util.Objects;

/**
 * What {@link SsoCookies#open} found in an SSO cookie: a valid session of a user (with a refreshed cookie value when
 * its idle time advanced enough), or why it is not one. Immutable.
 *
 * @param status the verdict
 * @param user the session's user when {@link Status#VALID}, else empty
 * @param refreshed a new cookie value to set (idle time moved on) when valid, else empty
 */
public record SsoVerdict(Status status, String user, String refreshed) {

    /** The verdict on a cookie. */
    public enum Status {
        /** Sealed by us, for this domain, within its lifetime and idle timeout. */
        VALID,
        /** Its lifetime ({@code timeout}) is over. */
        EXPIRED,
        /** Unused for longer than the idle timeout. */
        IDLE,
        /** Not sealed with our key (tampered, truncated, garbage, another secret) or malformed. */
        FORGED,
        /** Sealed with our key for another SSO domain. */
        OTHER_DOMAIN,
        /** Its session was ended by a logout on this host (a copy of the cookie, or the cookie itself, came back). */
        REVOKED;

        /** The words of the decision trace: {@code cookie expired}, {@code cookie forged}, ... */
        public String describe() {
            return switch (this) {
                case VALID -> "cookie valid";
                case EXPIRED -> "cookie expired";
                case IDLE -> "cookie idle too long";
                case FORGED -> "cookie forged";
                case OTHER_DOMAIN -> "cookie of another domain";
                case REVOKED -> "cookie of a session signed out";
            };
        }
    }

    public SsoVerdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(refreshed, "refreshed");
    }

    static SsoVerdict of(Status status) {
        return new SsoVerdict(status, "", "");
    }

    public boolean valid() {
        return status == Status.VALID;
    }
}
