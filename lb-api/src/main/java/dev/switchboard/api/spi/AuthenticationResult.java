package dev.switchboard.api.spi;

import java.util.Objects;

/**
 * The verdict of an {@link Authenticator}: accepted as a user, rejected with a reason, or unavailable (the
 * directory could not answer). Reasons are short words for the decision trace, events and logs, such as {@code
 * "invalid credentials"}, {@code "not in group cn=mail-users,..."} or {@code "ldap timeout after 2000 ms"}; they
 * never hold a password. Immutable and thread-safe.
 *
 * <pre>{@code
 * AuthenticationResult ok = AuthenticationResult.accepted("alice");
 * AuthenticationResult no = AuthenticationResult.rejected("invalid credentials");
 * }</pre>
 */
public final class AuthenticationResult {

    /** What the directory said. */
    public enum Status {
        /** The credentials are valid and the user may pass. */
        ACCEPTED,
        /** The credentials are wrong, the user is unknown, disabled or not in the required group. */
        REJECTED,
        /** The directory is down, slow or misconfigured: neither valid nor invalid (the host answers 503). */
        UNAVAILABLE
    }

    private final Status status;
    private final String user;
    private final String reason;

    private AuthenticationResult(Status status, String user, String reason) {
        this.status = status;
        this.user = user;
        this.reason = reason;
    }

    /** Accepted as {@code user} (the name to pass on in {@code X-Authenticated-User}, as the directory spells it). */
    public static AuthenticationResult accepted(String user) {
        Objects.requireNonNull(user, "user");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("user: empty (expected: the authenticated user's name)");
        }
        return new AuthenticationResult(Status.ACCEPTED, user, "accepted");
    }

    /** Rejected for {@code reason}. */
    public static AuthenticationResult rejected(String reason) {
        return new AuthenticationResult(Status.REJECTED, "", Objects.requireNonNull(reason, "reason"));
    }

    /** The directory could not answer, for {@code reason}. */
    public static AuthenticationResult unavailable(String reason) {
        return new AuthenticationResult(Status.UNAVAILABLE, "", Objects.requireNonNull(reason, "reason"));
    }

    /** The verdict. */
    public Status status() {
        return status;
    }

    /** The authenticated user's name when {@link Status#ACCEPTED}, else empty. */
    public String user() {
        return user;
    }

    /** Why: {@code "accepted"}, or the reason given to {@link #rejected} or {@link #unavailable}. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return status == Status.ACCEPTED ? "ACCEPTED[" + user + "]" : status + "[" + reason + "]";
    }
}
