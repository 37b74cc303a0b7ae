package dev.switchboard.engine.auth;

import java.util.Objects;

/**
 * The answer of {@link PreAuthentication#check}: what the host does with a login or a Basic request. Immutable.
 *
 * <pre>{@code
 * preAuth.check(decision).thenAccept(r -> {
 *     if (r instanceof LoginResult.Accepted a) {
 *         String setCookie = a.cookieValue().isEmpty() ? "" : cookies.setCookie(a.cookieValue(), https);
 *         engine.dispatchAuthenticated(vs, request, a.user(), setCookie);
 *     }
 *     else if (r instanceof LoginResult.Rejected) { answer(decision.challenge()); }
 *     else if (r instanceof LoginResult.Locked l) { answer(429, "Retry-After", l.retryAfterSeconds()); }
 *     else { answer(503, "Retry-After", 5); }
 * });
 * }</pre>
 */
public sealed interface LoginResult {

    /** The HTTP status a host answers with when the request does not go on: 429, 401 or 503; 200 when accepted. */
    int status();

    /**
     * The directory (or the check cache) accepted the user.
     *
     * @param user the user as the directory spells it: the value of {@code X-Authenticated-User}
     * @param cookieValue the sealed value of a new SSO session, to send with {@link SsoCookies#setCookie}
     *                    ({@link PreAuthentication#ssoCookies()}); empty when no SSO is configured
     * @param cached whether the answer came from the check cache (no directory call)
     */
    record Accepted(String user, String cookieValue, boolean cached) implements LoginResult {
        public Accepted {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(cookieValue, "cookieValue");
        }

        @Override
        public int status() {
            return 200;
        }
    }

    /** Wrong credentials: a 401 challenge (basic) or the login page again with a message (form). */
    record Rejected(String reason) implements LoginResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public int status() {
            return 401;
        }
    }

    /**
     * Too many failures: the user or the client address is locked for {@code retryAfterSeconds}; answer 429 with
     * {@code Retry-After}. The directory was not asked.
     */
    record Locked(long retryAfterSeconds, String reason) implements LoginResult {
        public Locked {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public int status() {
            return 429;
        }
    }

    /** The directory could not answer: 503 with {@code Retry-After}; nobody is counted as failing. */
    record Unavailable(String reason) implements LoginResult {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public int status() {
            return 503;
        }
    }
}
