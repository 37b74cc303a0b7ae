package dev.switchboard.config;

import dev.switchboard.api.Address;

import java.util.Objects;

/**
 * Where the admin API listens and the bearer token it requires. A configuration without an {@code admin} object
 * has {@link #none()}: no admin listener.
 *
 * @param enabled whether an admin listener is started
 * @param listen  its address (loopback unless a token is set)
 * @param token   the bearer token every admin request must carry; empty for none (loopback only)
 */
public record AdminSettings(boolean enabled, Address listen, String token) {

    private static final AdminSettings NONE = new AdminSettings(false, Address.parse("127.0.0.1:0"), "");

    public AdminSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(token, "token");
    }

    /** An admin API on {@code listen}, with {@code token} (empty for none). */
    public static AdminSettings of(Address listen, String token) {
        return new AdminSettings(true, listen, token);
    }

    /** No admin listener. */
    public static AdminSettings none() {
        return NONE;
    }

    /** Whether requests must carry {@code Authorization: Bearer <token>}. */
    public boolean requiresToken() {
        return !token.isEmpty();
    }
}
