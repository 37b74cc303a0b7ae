package dev.switchboard.api.event;

import java.util.Locale;
import java.util.Objects;

/**
 * Something pre-authentication did on a virtual service: a login accepted by the directory, a failed one, or a
 * lockout (a user or a client address refused for a while after repeated failures). Sent by the engine's {@code
 * PreAuthentication} coordinator on the thread that completed the check, not by the control plane. A login served
 * from the check cache is counted in the stats but sends no event. Never carries a password.
 *
 * @param virtualService the virtual service
 * @param what what happened
 * @param user the user name as the client typed it (control characters replaced by {@code ?}), or empty
 * @param client the client's address as text, or empty
 * @param reason the directory's reason or the lockout's duration (e.g. {@code invalid credentials})
 */
public record AuthenticationEvent(String virtualService, What what, String user, String client, String reason) {

    /** What happened. */
    public enum What {
        /** The directory accepted the user. */
        LOGIN,
        /** The directory rejected the credentials. */
        FAILURE,
        /** A user or client address is locked out after repeated failures. */
        LOCKOUT;

        /** {@code login}, {@code failure}, {@code lockout}: the {@code to} of a recorded event. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AuthenticationEvent {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(reason, "reason");
    }
}
