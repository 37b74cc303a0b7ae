package dev.switchboard.engine.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * CSRF tokens of the login form, as a signed double submit: {@link #issue()} gives a random value for a cookie and
 * a form token bound to it (HMAC-SHA256 of the cookie value and the issue time under a key derived from the SSO
 * secret, so every gateway of a fleet accepts the others' tokens); {@link #verify} accepts the POST only when the
 * form token matches the cookie the browser sent (compared in constant time) and is younger than the maximum age.
 * A page of another site can neither read the cookie nor make a matching token, so it cannot log a victim in.
 *
 * <pre>{@code
 * CsrfTokens csrf = CsrfTokens.of(sso.secret(), Duration.ofMinutes(30));
 * CsrfTokens.Token t = csrf.issue();   // Set-Cookie: SBCSRF=t.cookie(); <input name=csrf value=t.form()>
 * boolean ok = csrf.verify(cookieFromRequest, formField);
 * }</pre>
 *
 * <p>Thread-safe and immutable. Never logs a token.
 */
public final class CsrfTokens {

    /** The cookie name the gateway uses for the CSRF cookie. */
    public static final String COOKIE_NAME = "SBCSRF";

    private static final int LONGEST = 256;

    private final byte[] key;
    private final long maxAgeSeconds;
    private final LongSupplier epochSeconds;

    /** A token and the cookie it is bound to. */
    public record Token(String cookie, String form) {
        public Token {
            Objects.requireNonNull(cookie, "cookie");
            Objects.requireNonNull(form, "form");
        }
    }

    private CsrfTokens(byte[] key, long maxAgeSeconds, LongSupplier epochSeconds) {
        this.key = key;
        this.maxAgeSeconds = maxAgeSeconds;
        this.epochSeconds = epochSeconds;
    }

    /** Tokens keyed by {@code secret} (the SSO secret), valid for {@code maxAge}, on the system clock. */
    public static CsrfTokens of(String secret, Duration maxAge) {
        return of(secret, maxAge, () -> System.currentTimeMillis() / 1000);
    }

    /**
     * Tokens keyed by {@code secret}, valid for {@code maxAge}, timed by {@code epochSeconds}.
     *
     * @throws IllegalArgumentException when {@code maxAge} is not positive
     */
    public static CsrfTokens of(String secret, Duration maxAge, LongSupplier epochSeconds) {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: more than zero)");
        }
        return new CsrfTokens(Secrets.derive(secret, "login csrf hmac-sha256", 32), maxAge.toSeconds(),
                Objects.requireNonNull(epochSeconds, "epochSeconds"));
    }

    /** A fresh cookie value and the form token bound to it. */
    public Token issue() {
        String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(Secrets.random(18));
        long now = epochSeconds.getAsLong();
        return new Token(cookie, Long.toString(now, 36) + "." + mac(cookie, now));
    }

    /**
     * A form token bound to the CSRF cookie the browser already holds, so that a second login page (another tab, or
     * the browser following a redirect for its favicon) does not invalidate the form shown first; a fresh cookie
     * when {@code cookie} is not one this class would issue (24 base64url characters).
     */
    public Token issue(String cookie) {
        if (cookie == null || cookie.length() != 24 || !cookie.chars().allMatch(CsrfTokens::base64Url)) {
            return issue();
        }
        long now = epochSeconds.getAsLong();
        return new Token(cookie, Long.toString(now, 36) + "." + mac(cookie, now));
    }

    private static boolean base64Url(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    /** Whether {@code form} was issued with {@code cookie} and is not too old; false for anything malformed. */
    public boolean verify(String cookie, String form) {
        if (cookie == null || form == null || cookie.isEmpty() || cookie.length() > LONGEST
                || form.length() > LONGEST) {
            return false;
        }
        int dot = form.indexOf('.');
        long issued;
        try {
            issued = Long.parseLong(form.substring(0, Math.max(dot, 0)), 36);
        } catch (NumberFormatException e) {
            return false;
        }
        long age = epochSeconds.getAsLong() - issued;
        if (age < -60 || age > maxAgeSeconds) {
            return false;
        }
        byte[] expected = mac(cookie, issued).getBytes(StandardCharsets.US_ASCII);
        byte[] given = form.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    private String mac(String cookie, long issued) {
        byte[] c = cookie.getBytes(StandardCharsets.US_ASCII);
        byte[] data = ByteBuffer.allocate(8 + c.length).putLong(issued).put(c).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Secrets.hmac(key, data));
    }
}
