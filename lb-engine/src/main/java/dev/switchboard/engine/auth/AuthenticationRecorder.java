package dev.switchboard.engine.auth;

import dev.switchboard.api.event.AuthenticationEvent;

/**
 * Where {@link PreAuthentication} reports what it did, per virtual service: the engine's implementation ({@code
 * DispatchEngine.authenticationRecorder()}) counts it in the virtual service's stats and sends {@link
 * AuthenticationEvent}s to its listener. Implementations are thread-safe, fast and do not throw.
 */
public interface AuthenticationRecorder {

    /** Records nothing. */
    AuthenticationRecorder NONE = new AuthenticationRecorder() { };

    /** A user was accepted, by the directory or ({@code cached}) from the check cache. */
    default void login(String virtualService, String user, String client, boolean cached) {
    }

    /** The directory rejected {@code user}. */
    default void failure(String virtualService, String user, String client, String reason) {
    }

    /** A failure locked {@code user} (or the client address) out for {@code seconds}. */
    default void lockout(String virtualService, String user, String client, String reason) {
    }

    /** A login was refused for a lockout already in force, or the directory could not answer. */
    default void refused(String virtualService, boolean locked) {
    }
}
