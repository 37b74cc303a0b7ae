package dev.switchboard.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code authentication.radius} section read as plain values, for whoever builds the RADIUS {@code
 * Authenticator} (lb-config does not depend on it): the server's {@code address} ({@code host} or {@code host:port},
 * port 1812 unless given), the shared {@code secret}, the {@code timeout} of one login (all attempts), how many
 * {@code attempts} are sent, the {@code nasIdentifier}, and the bounds {@code maxConcurrent} and {@code maxPending}.
 * {@link #none()} stands for no section. Immutable; {@link #toString()} never shows the secret.
 *
 * <pre>{@code
 * config.radius().enabled() ? RadiusAuthenticator.builder(config.radius().address()).secret(...)... : ...
 * }</pre>
 *
 * @param enabled whether the file has a {@code radius} section
 * @param address {@code host}, {@code host:port} or {@code [v6]:port}
 * @param secret the shared secret (never log it)
 * @param timeout the limit of one login, all attempts included
 * @param attempts sends of one Access-Request (the first and the retransmissions)
 * @param nasIdentifier the NAS-Identifier sent with each request
 * @param maxConcurrent requests in flight at once (and threads)
 * @param maxPending logins that may wait for a thread; beyond, unavailable at once
 */
public record RadiusSettings(boolean enabled, String address, String secret, Duration timeout, int attempts,
        String nasIdentifier, int maxConcurrent, int maxPending) {

    /** The limit of one login unless set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Sends of one request unless set. */
    public static final int DEFAULT_ATTEMPTS = 2;
    /** The NAS-Identifier unless set. */
    public static final String DEFAULT_NAS_IDENTIFIER = "switchboard";
    /** Requests in flight at once unless set. */
    public static final int DEFAULT_MAX_CONCURRENT = 8;
    /** Logins that may wait unless set. */
    public static final int DEFAULT_MAX_PENDING = 256;

    private static final RadiusSettings NONE = new RadiusSettings(false, "", "", DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS,
            DEFAULT_NAS_IDENTIFIER, DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_PENDING);

    public RadiusSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(nasIdentifier, "nasIdentifier");
    }

    /** No {@code radius} section. */
    public static RadiusSettings none() {
        return NONE;
    }

    @Override
    public String toString() {
        return !enabled ? "RadiusSettings[none]" : "RadiusSettings[" + address + ", NAS " + nasIdentifier
                + ", secret (hidden), timeout " + timeout.toMillis() + " ms in " + attempts + " attempts]";
    }
}
