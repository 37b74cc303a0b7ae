package dev.switchboard.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The single sign-on cookie of pre-authentication: its name, the domain it is valid for (every virtual service
 * whose host lies in it accepts it without a new login), the secret its content is sealed with (authenticated
 * encryption: a client can neither read nor forge it), its lifetime and its idle timeout. Immutable and
 * thread-safe; {@link #toString()} never shows the secret.
 *
 * <pre>{@code
 * SingleSignOn sso = SingleSignOn.builder()
 *     .cookieName("SBSSO").domain("example.test").secret(System.getenv("SSO_SECRET"))
 *     .timeout(Duration.ofHours(8)).idleTimeout(Duration.ofHours(1))
 *     .build();   // throws ConfigurationException naming each bad field and value
 * }</pre>
 */
public final class SingleSignOn {

    /** The cookie name unless set. */
    public static final String DEFAULT_COOKIE_NAME = "SBSSO";
    /** The lifetime unless set: a working day. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(8);
    /** The idle timeout unless set. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
    /** The shortest secret accepted, in UTF-8 bytes (256 bits of text at one bit per byte is a floor, not a goal). */
    public static final int MIN_SECRET_BYTES = 32;
    /** The longest secret accepted, in UTF-8 bytes. */
    public static final int MAX_SECRET_BYTES = 1_024;
    /** The longest lifetime accepted. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(30);

    private final String cookieName;
    private final String domain;
    private final String secret;
    private final Duration timeout;
    private final Duration idleTimeout;

    private SingleSignOn(Builder b) {
        this.cookieName = b.cookieName;
        this.domain = b.domain;
        this.secret = b.secret;
        this.timeout = b.timeout;
        this.idleTimeout = b.idleTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The cookie's name, {@value #DEFAULT_COOKIE_NAME} unless set. */
    public String cookieName() {
        return cookieName;
    }

    /** The cookie's {@code Domain} (lower case, no leading dot); empty: a host-only cookie (no SSO across hosts). */
    public String domain() {
        return domain;
    }

    /** The secret the cookie is sealed with (never log it). */
    public String secret() {
        return secret;
    }

    /** How long a login lasts, whatever the activity. */
    public Duration timeout() {
        return timeout;
    }

    /** How long a session may stay unused before a new login is needed. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    void validate(String path, Problems problems) {
        if (!Tokens.isToken(cookieName) || cookieName.length() > 64) {
            problems.add(path + ".cookieName", "\"" + cookieName + "\" (expected: 1..64 characters of letters, digits"
                    + " and !#$%&'*+-.^_`|~)");
        } else if (cookieName.startsWith("__Host-") && !domain.isEmpty()) {
            problems.add(path + ".cookieName", "\"" + cookieName + "\" with domain \"" + domain + "\" (expected: no"
                    + " __Host- prefix, which browsers refuse on a cookie with a Domain)");
        }
        if (!domain.isEmpty() && !validDomain(domain)) {
            problems.add(path + ".domain", "\"" + domain + "\" (expected: a DNS name such as example.test, or empty"
                    + " for a host-only cookie)");
        }
        int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
            problems.add(path + ".secret", "(hidden) of " + bytes + " bytes (expected: " + MIN_SECRET_BYTES + ".."
                    + MAX_SECRET_BYTES + " bytes of random text, e.g. openssl rand -base64 48)");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            problems.add(path + ".timeout", timeout + " (expected: more than zero, at most " + MAX_TIMEOUT + ")");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.compareTo(timeout) > 0) {
            problems.add(path + ".idleTimeout", idleTimeout + " (expected: more than zero, at most the timeout "
                    + timeout + ")");
        }
    }

    private static boolean validDomain(String d) {
        if (d.length() > 253) {
            return false;
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SingleSignOn other && cookieName.equals(other.cookieName) && domain.equals(other.domain)
                && secret.equals(other.secret) && timeout.equals(other.timeout)
                && idleTimeout.equals(other.idleTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cookieName, domain, secret, timeout, idleTimeout);
    }

    @Override
    public String toString() {
        return "SingleSignOn[" + cookieName + ", domain " + (domain.isEmpty() ? "(host only)" : domain)
                + ", secret (hidden), timeout " + timeout + ", idle " + idleTimeout + "]";
    }

    /** Builds a {@link SingleSignOn}. Not thread-safe. */
    public static final class Builder {
        private String cookieName = DEFAULT_COOKIE_NAME;
        private String domain = "";
        private String secret = "";
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

        private Builder() {
        }

        public Builder cookieName(String name) {
            this.cookieName = Objects.requireNonNull(name, "cookieName");
            return this;
        }

        /** The cookie's domain; a leading dot is dropped and the name lower-cased. */
        public Builder domain(String domain) {
            String d = HostNames.normalize(Objects.requireNonNull(domain, "domain"));
            this.domain = d.startsWith(".") ? d.substring(1) : d;
            return this;
        }

        /** The sealing secret: at least {@value SingleSignOn#MIN_SECRET_BYTES} bytes of random text. */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
            return this;
        }

        /**
         * Checks every field and builds.
         *
         * @throws ConfigurationException listing every bad field ({@code sso.secret}, {@code sso.timeout}, ...)
         */
        public SingleSignOn build() {
            SingleSignOn sso = new SingleSignOn(this);
            Problems problems = new Problems();
            sso.validate("sso", problems);
            problems.throwIfAny();
            return sso;
        }
    }
}
