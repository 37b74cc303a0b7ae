package dev.switchboard.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The pre-authentication policy of a virtual service or sub-service: the {@link AuthMode}, the path prefixes that
 * skip it ({@code authExempt}, e.g. {@code /owa/auth/} or {@code /autodiscover/}), and whether the client's
 * credentials (its {@code Authorization} header and the SSO cookie) go on to the real server ({@code
 * passCredentials}; removed by default). A sub-service without a policy of its own inherits its virtual service's.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * AuthPolicy owa = AuthPolicy.builder(AuthMode.FORM).exempt("/owa/auth/").build();
 * AuthPolicy eas = AuthPolicy.of(AuthMode.BASIC);
 * }</pre>
 *
 * <p>Exempt prefixes are compared with the normalized path as content switching saw it (after the virtual
 * service's rules of phase {@code before-match}), case-sensitively, as plain prefixes: {@code /owa/auth/} exempts
 * {@code /owa/auth/logon.aspx}, not {@code /owa/auth}. Checked by {@code LoadBalancer.Builder.build()}.
 */
public final class AuthPolicy {

    /** No pre-authentication. */
    public static final AuthPolicy NONE = new AuthPolicy(AuthMode.NONE, List.of(), false);
    /** The longest exempt prefix accepted. */
    public static final int MAX_PREFIX_LENGTH = 1_024;

    private final AuthMode mode;
    private final List<String> exempt;
    private final boolean passCredentials;

    private AuthPolicy(AuthMode mode, List<String> exempt, boolean passCredentials) {
        this.mode = mode;
        this.exempt = List.copyOf(exempt);
        this.passCredentials = passCredentials;
    }

    /** A policy of {@code mode} with no exempt paths that removes the credentials. */
    public static AuthPolicy of(AuthMode mode) {
        return builder(mode).build();
    }

    /** A builder for a policy of {@code mode}. */
    public static Builder builder(AuthMode mode) {
        return new Builder(mode);
    }

    public AuthMode mode() {
        return mode;
    }

    /** Whether requests are authenticated at all ({@link #mode()} is not {@link AuthMode#NONE}). */
    public boolean enabled() {
        return mode != AuthMode.NONE;
    }

    /** Path prefixes that skip authentication, in the order given. */
    public List<String> exempt() {
        return exempt;
    }

    /** Whether the SSO cookie and {@code Authorization} go on to the real server (false: removed). */
    public boolean passCredentials() {
        return passCredentials;
    }

    void validate(String path, Protocol protocol, Problems problems) {
        if (enabled() && protocol == Protocol.TCP) {
            problems.add(path + ".auth", "'" + mode.configName() + "' on a tcp virtual service (expected: none;"
                    + " layer 4 has no request to authenticate)");
        }
        for (int i = 0; i < exempt.size(); i++) {
            String p = exempt.get(i);
            String wrong = whatIsWrong(p);
            if (wrong != null) {
                problems.add(path + ".authExempt[" + i + "]", "\"" + p + "\" " + wrong
                        + " (expected: a path prefix such as /owa/auth/)");
            }
        }
    }

    private static String whatIsWrong(String prefix) {
        if (prefix.isEmpty() || prefix.charAt(0) != '/') {
            return "does not start with /";
        }
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            return "is longer than " + MAX_PREFIX_LENGTH + " characters";
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '?' || c == '#' || c == '\\') {
                return "has a space, control character, ?, # or \\ (exempt prefixes match the normalized path)";
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthPolicy other && mode == other.mode && exempt.equals(other.exempt)
                && passCredentials == other.passCredentials;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, exempt, passCredentials);
    }

    @Override
    public String toString() {
        return "AuthPolicy[" + mode.configName() + (exempt.isEmpty() ? "" : ", exempt " + exempt)
                + (passCredentials ? ", passCredentials" : "") + "]";
    }

    /** Builds an {@link AuthPolicy}. Not thread-safe. */
    public static final class Builder {
        private final AuthMode mode;
        private final List<String> exempt = new ArrayList<>();
        private boolean passCredentials;

        private Builder(AuthMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
        }

        /** Adds path prefixes that skip authentication; checked by {@code LoadBalancer.Builder.build()}. */
        public Builder exempt(String... prefixes) {
            return exempt(List.of(prefixes));
        }

        /** Adds path prefixes that skip authentication. */
        public Builder exempt(List<String> prefixes) {
            prefixes.forEach(p -> exempt.add(Objects.requireNonNull(p, "prefix")));
            return this;
        }

        /** Lets the SSO cookie and the client's {@code Authorization} header go on to the real server. */
        public Builder passCredentials(boolean pass) {
            this.passCredentials = pass;
            return this;
        }

        public AuthPolicy build() {
            return new AuthPolicy(mode, exempt, passCredentials);
        }
    }
}
