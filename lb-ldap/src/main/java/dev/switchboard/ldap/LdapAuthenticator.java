package dev.switchboard.ldap;

import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.Authenticator;
import dev.switchboard.api.spi.Credentials;
import dev.switchboard.tls.UpstreamTlsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * An {@link Authenticator} that checks a user's name and password against an LDAP directory (OpenLDAP, 389 DS,
 * Active Directory), in one of two ways:
 *
 * <ul>
 *   <li><b>direct bind</b>: the user's DN is made from a pattern ({@code uid={user},ou=people,dc=example,dc=test},
 *       the name escaped as an RFC 4514 DN value) and the gateway binds as that DN with the password;</li>
 *   <li><b>search-then-bind</b>: a service account ({@code bindDn}, {@code bindPassword}) searches
 *       {@code userSearchBase} with {@code userFilter} ({@code (uid={user})}, the name escaped per RFC 4515, so
 *       {@code *)(uid=*} matches nobody); exactly one entry must match, and the gateway binds as its DN.</li>
 * </ul>
 *
 * <p>With {@code requireGroup}, the user must also be a member of that group: either the user's entry has a
 * {@code memberOf} value naming the group (Active Directory, OpenLDAP's memberof overlay), or the group's entry
 * lists the user's DN in {@code member} (groupOfNames) or {@code uniqueMember} (groupOfUniqueNames). Either is
 * enough; nested groups are not followed. In direct-bind mode these reads run as the user, in search mode as the
 * service account. The accepted name is the directory's spelling of the naming attribute ({@code uid} above).
 *
 * <p>An empty password is rejected without a bind (an LDAP simple bind with an empty password is an anonymous bind,
 * which many servers accept). Binds run on this authenticator's own bounded threads ({@code maxConnections}, one
 * pooled connection each), never on the caller's; every stage completes within {@code timeout}: a down, slow or
 * unreachable directory, a TLS failure or a full queue yields {@link AuthenticationResult#unavailable}, never an
 * exception. Connections are opened on demand, kept in a pool, and replaced when the server drops them.
 *
 * <pre>{@code
 * LdapAuthenticator ldap = LdapAuthenticator.builder("ldaps://dc1.corp.example.com")
 *         .bindDn("cn=switchboard,ou=services,dc=corp,dc=example,dc=com")
 *         .bindPassword(secret)
 *         .userSearchBase("ou=people,dc=corp,dc=example,dc=com")
 *         .userFilter("(sAMAccountName={user})")
 *         .requireGroup("cn=mail-users,ou=groups,dc=corp,dc=example,dc=com")
 *         .tls(UpstreamTlsConfig.builder().trustCertificates(Path.of("/etc/lb/corp-ca.pem")).build())
 *         .build();
 * ldap.authenticate(Credentials.of("alice", "secret", "192.0.2.7")).thenAccept(r -> ...);
 * ldap.close();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} closes the connections and completes the authentications still waiting with
 * {@code unavailable}; later calls answer {@code unavailable} too. Never logs a password.
 */
public final class LdapAuthenticator implements Authenticator, AutoCloseable {

    /** The default limit of one authentication, from the call to the verdict. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** The default limit of opening one TCP connection to the directory. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The default number of connections (and threads) per pool. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8;
    /** The default number of authentications that may wait for a connection. */
    public static final int DEFAULT_MAX_PENDING = 256;

    private final LdapSettings settings;
    private final Logins logins;

    private LdapAuthenticator(LdapSettings settings) {
        this.settings = settings;
        this.logins = new Logins(settings);
    }

    /** A builder for the directory at {@code url} ({@code ldap://host[:port]} or {@code ldaps://host[:port]}). */
    public static Builder builder(String url) {
        return new Builder(Objects.requireNonNull(url, "url"));
    }

    /**
     * Checks {@code credentials} against the directory. Returns at once; the stage completes on one of this
     * authenticator's threads (or the JDK's timer thread at the timeout), never exceptionally.
     */
    @Override
    public CompletionStage<AuthenticationResult> authenticate(Credentials credentials) {
        return logins.submit(Objects.requireNonNull(credentials, "credentials"));
    }

    /** Closes the pooled connections and stops the threads; pending authentications become unavailable. */
    @Override
    public void close() {
        logins.close();
    }

    @Override
    public String toString() {
        return "LdapAuthenticator[" + settings + "]";
    }

    /**
     * Builds an {@link LdapAuthenticator}. Setters reject null at once; {@link #build()} checks the rest. Not
     * thread-safe.
     */
    public static final class Builder {
        final String url;
        String userDnPattern = "";
        String bindDn = "";
        String bindPassword = "";
        String userSearchBase = "";
        String userFilter = "";
        String requireGroup = "";
        boolean startTls;
        List<UpstreamTlsConfig> tls = List.of();
        Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        Duration timeout = DEFAULT_TIMEOUT;
        int maxConnections = DEFAULT_MAX_CONNECTIONS;
        int maxPending = DEFAULT_MAX_PENDING;

        private Builder(String url) {
            this.url = url;
        }

        /** Direct bind: the user's DN, with {@code {user}} as a whole attribute value. */
        public Builder userDnPattern(String pattern) {
            this.userDnPattern = Objects.requireNonNull(pattern, "userDnPattern");
            return this;
        }

        /** Search-then-bind: the service account's DN. */
        public Builder bindDn(String dn) {
            this.bindDn = Objects.requireNonNull(dn, "bindDn");
            return this;
        }

        /** Search-then-bind: the service account's password (never logged, never in {@code toString}). */
        public Builder bindPassword(String password) {
            this.bindPassword = Objects.requireNonNull(password, "bindPassword");
            return this;
        }

        /** Search-then-bind: where users are searched (whole subtree). */
        public Builder userSearchBase(String dn) {
            this.userSearchBase = Objects.requireNonNull(dn, "userSearchBase");
            return this;
        }

        /** Search-then-bind: the filter, with {@code {user}}, e.g. {@code (uid={user})}. */
        public Builder userFilter(String filter) {
            this.userFilter = Objects.requireNonNull(filter, "userFilter");
            return this;
        }

        /** The DN of a group the user must be a member of (see the class comment for how membership is read). */
        public Builder requireGroup(String groupDn) {
            this.requireGroup = Objects.requireNonNull(groupDn, "requireGroup");
            return this;
        }

        /** Upgrade each {@code ldap://} connection with the StartTLS extended operation before any bind. */
        public Builder startTls(boolean startTls) {
            this.startTls = startTls;
            return this;
        }

        /**
         * Whom {@code ldaps://} and StartTLS trust (default: the JDK's system roots, with host name verification).
         * An {@link UpstreamTlsConfig.Builder#insecure() insecure} configuration turns both checks off.
         */
        public Builder tls(UpstreamTlsConfig config) {
            this.tls = List.of(Objects.requireNonNull(config, "tls"));
            return this;
        }

        /** The limit of opening one connection (default {@link #DEFAULT_CONNECT_TIMEOUT}). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
            return this;
        }

        /**
         * The limit of one authentication, from the call to the verdict (default {@link #DEFAULT_TIMEOUT}); each
         * LDAP operation of it gets what is left.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Connections per pool, and threads (default {@link #DEFAULT_MAX_CONNECTIONS}). */
        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        /** Authentications that may wait for a thread; beyond, {@code unavailable} (default 256). */
        public Builder maxPending(int pending) {
            this.maxPending = pending;
            return this;
        }

        /**
         * Validates and builds. Opens no connection: a directory that is down now makes authentications
         * unavailable, not this call fail.
         *
         * @throws dev.switchboard.api.ConfigurationException listing every violation, each naming the setting and
         *         its value ({@code url: 'http://dc1' (expected: scheme ldap:// or ldaps://)})
         * @throws IllegalStateException when the TLS context cannot be made (see {@code TlsContexts.upstream})
         */
        public LdapAuthenticator build() {
            return new LdapAuthenticator(LdapSettings.of(this));
        }
    }
}
