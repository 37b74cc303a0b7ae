package dev.switchboard.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The load balancer's pre-authentication settings, shared by every virtual service whose {@link AuthPolicy} is not
 * {@link AuthMode#NONE}: the realm named in Basic challenges and on the login page, and the {@link SingleSignOn}
 * cookie (required by {@link AuthMode#FORM}). The directory is not part of the model: the host hands an {@code
 * Authenticator} to the coordinator. Immutable and thread-safe.
 *
 * <pre>{@code
 * LoadBalancer.builder()
 *     .authentication(Authentication.builder().realm("mail").sso(sso).build())
 *     .virtualService(VirtualService.builder("mail").auth(AuthPolicy.of(AuthMode.FORM))...build())
 *     .build();
 * }</pre>
 */
public final class Authentication {

    /** The realm unless set. */
    public static final String DEFAULT_REALM = "switchboard";

    private final String realm;
    private final SingleSignOn sso;

    private Authentication(String realm, SingleSignOn sso) {
        this.realm = realm;
        this.sso = sso;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The realm of {@code WWW-Authenticate: Basic realm="..."} and the login page's title. */
    public String realm() {
        return realm;
    }

    /** The SSO cookie settings, when configured. */
    public Optional<SingleSignOn> findSso() {
        return Optional.ofNullable(sso);
    }

    void validate(String path, Problems problems) {
        boolean ok = !realm.isEmpty() && realm.length() <= 128;
        for (int i = 0; ok && i < realm.length(); i++) {
            char c = realm.charAt(i);
            ok = c >= ' ' && c != 0x7f && c != '"' && c != '\\';
        }
        if (!ok) {
            problems.add(path + ".realm", "\"" + realm + "\" (expected: 1..128 printable characters without \" or \\,"
                    + " since it is quoted in WWW-Authenticate)");
        }
        if (sso != null) {
            sso.validate(path + ".sso", problems);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Authentication other && realm.equals(other.realm) && Objects.equals(sso, other.sso);
    }

    @Override
    public int hashCode() {
        return Objects.hash(realm, sso);
    }

    @Override
    public String toString() {
        return "Authentication[realm " + realm + ", " + (sso == null ? "no sso" : sso) + "]";
    }

    /** Builds an {@link Authentication}. Not thread-safe. */
    public static final class Builder {
        private String realm = DEFAULT_REALM;
        private SingleSignOn sso;

        private Builder() {
        }

        public Builder realm(String realm) {
            this.realm = Objects.requireNonNull(realm, "realm");
            return this;
        }

        public Builder sso(SingleSignOn sso) {
            this.sso = Objects.requireNonNull(sso, "sso");
            return this;
        }

        /**
         * Checks the realm and builds.
         *
         * @throws ConfigurationException naming the bad field and value ({@code authentication.realm: ...})
         */
        public Authentication build() {
            Authentication a = new Authentication(realm, sso);
            Problems problems = new Problems();
            a.validate("authentication", problems);
            problems.throwIfAny();
            return a;
        }
    }
}
