package dev.switchboard.config;

import dev.switchboard.tls.UpstreamTlsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code authentication.ldap} section read as plain values, for whoever builds the LDAP {@code Authenticator}
 * (lb-config does not depend on it). Either direct bind ({@code userDnPattern} with {@code {user}}) or search then
 * bind ({@code userSearchBase}, {@code userFilter} with {@code {user}}, and optionally the service account {@code
 * bindDn}/{@code bindPassword}); {@code requireGroup} optional; {@code startTls}, {@code trust} (the same shape as
 * {@code upstreamTls.trust}), the timeouts and the pool ({@code maxConnections}, {@code maxPending}) optional. An
 * absent value is the empty string.
 * {@link #none()} stands for no section. Immutable; {@link #toString()} never shows the bind password.
 *
 * <pre>{@code
 * config.ldap().enabled() ? LdapAuthenticator.from(config.ldap()) : ...
 * }</pre>
 */
public final class LdapSettings {

    /** The connect timeout unless set. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The timeout of one LDAP operation unless set. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(5);
    /** The search filter unless set. */
    public static final String DEFAULT_USER_FILTER = "(uid={user})";

    /** Connections per pool (and threads) unless set. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8;
    /** Logins that may wait for a connection unless set. */
    public static final int DEFAULT_MAX_PENDING = 256;

    private static final LdapSettings NONE = new LdapSettings(false, "", "", "", "", "", "", DEFAULT_USER_FILTER,
            DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT, Transport.DEFAULTS);

    private final boolean enabled;
    private final String url;
    private final String userDnPattern;
    private final String requireGroup;
    private final String bindDn;
    private final String bindPassword;
    private final String userSearchBase;
    private final String userFilter;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final boolean startTls;
    private final List<UpstreamTlsConfig> trust;
    private final int maxConnections;
    private final int maxPending;

    /** How the gateway reaches the directory: StartTLS, the trust (none or one), the pool. */
    record Transport(boolean startTls, List<UpstreamTlsConfig> trust, int maxConnections, int maxPending) {
        static final Transport DEFAULTS = new Transport(false, List.of(), DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_PENDING);

        Transport {
            trust = List.copyOf(trust);
        }
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    LdapSettings(boolean enabled, String url, String userDnPattern, String requireGroup, String bindDn,
            String bindPassword, String userSearchBase, String userFilter, Duration connectTimeout,
            Duration responseTimeout, Transport transport) {
        this.enabled = enabled;
        this.url = Objects.requireNonNull(url, "url");
        this.userDnPattern = Objects.requireNonNull(userDnPattern, "userDnPattern");
        this.requireGroup = Objects.requireNonNull(requireGroup, "requireGroup");
        this.bindDn = Objects.requireNonNull(bindDn, "bindDn");
        this.bindPassword = Objects.requireNonNull(bindPassword, "bindPassword");
        this.userSearchBase = Objects.requireNonNull(userSearchBase, "userSearchBase");
        this.userFilter = Objects.requireNonNull(userFilter, "userFilter");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.responseTimeout = Objects.requireNonNull(responseTimeout, "responseTimeout");
        this.startTls = transport.startTls();
        this.trust = transport.trust();
        this.maxConnections = transport.maxConnections();
        this.maxPending = transport.maxPending();
    }

    /** No {@code ldap} section. */
    public static LdapSettings none() {
        return NONE;
    }

    /** Whether the file has an {@code ldap} section. */
    public boolean enabled() {
        return enabled;
    }

    /** {@code ldap://host:port} or {@code ldaps://host:port}. */
    public String url() {
        return url;
    }

    /** The DN of a user for direct bind, with {@code {user}}; empty for search then bind. */
    public String userDnPattern() {
        return userDnPattern;
    }

    /** The DN of the group a user must be a member of; empty for none. */
    public String requireGroup() {
        return requireGroup;
    }

    /** The service account that searches (search then bind); empty for an anonymous search. */
    public String bindDn() {
        return bindDn;
    }

    /** The service account's password (never log it). */
    public String bindPassword() {
        return bindPassword;
    }

    /** Where users are searched (search then bind); empty for direct bind. */
    public String userSearchBase() {
        return userSearchBase;
    }

    /** The search filter with {@code {user}} (escaped by RFC 4515 when filled in), {@code (uid={user})} unless set. */
    public String userFilter() {
        return userFilter;
    }

    /** The limit of opening one TCP connection ({@code connectTimeout}). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The limit of one login, from the call to the verdict ({@code responseTimeout}). */
    public Duration responseTimeout() {
        return responseTimeout;
    }

    /** Whether an {@code ldap://} connection is upgraded with StartTLS before any bind. */
    public boolean startTls() {
        return startTls;
    }

    /** Whom {@code ldaps://} and StartTLS trust ({@code trust}), when set; the JDK's system roots otherwise. */
    public Optional<UpstreamTlsConfig> findTrust() {
        return trust.stream().findFirst();
    }

    /** Connections per pool, and threads ({@code maxConnections}). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Logins that may wait for a connection ({@code maxPending}); beyond, unavailable at once. */
    public int maxPending() {
        return maxPending;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LdapSettings l && enabled == l.enabled && url.equals(l.url)
                && userDnPattern.equals(l.userDnPattern) && requireGroup.equals(l.requireGroup)
                && bindDn.equals(l.bindDn) && bindPassword.equals(l.bindPassword)
                && userSearchBase.equals(l.userSearchBase) && userFilter.equals(l.userFilter)
                && connectTimeout.equals(l.connectTimeout) && responseTimeout.equals(l.responseTimeout)
                && startTls == l.startTls && maxConnections == l.maxConnections && maxPending == l.maxPending
                && sameTrust(trust, l.trust);
    }

    /** Same kind of trust and the same certificates (a CA file changed on disk is a change). */
    private static boolean sameTrust(List<UpstreamTlsConfig> a, List<UpstreamTlsConfig> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty();
        }
        return a.get(0).trust() == b.get(0).trust()
                && a.get(0).trustedCertificates().equals(b.get(0).trustedCertificates());
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, url, userDnPattern, requireGroup, bindDn, userSearchBase, userFilter);
    }

    @Override
    public String toString() {
        return !enabled ? "LdapSettings[none]" : "LdapSettings[" + url + (startTls ? " with StartTLS" : "")
                + findTrust().map(t -> ", trust " + t.trust()).orElse("") + ", " + (userDnPattern.isEmpty()
                ? "search " + userSearchBase + " " + userFilter + (bindDn.isEmpty() ? "" : " as " + bindDn
                + ", password (hidden)") : "bind " + userDnPattern) + (requireGroup.isEmpty() ? ""
                : ", group " + requireGroup) + "]";
    }
}
