package dev.switchboard.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Violation;
import dev.switchboard.tls.UpstreamTlsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated settings of an {@link LdapAuthenticator}: where the directory is, how users are found (direct bind
 * or search-then-bind), the group they must be in, TLS, timeouts and sizes. Immutable; {@link #toString()} never
 * shows the service account's password.
 */
final class LdapSettings {

    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    static final int MAX_CONNECTIONS = 1024;
    static final int MAX_PENDING = 100_000;

    final LdapUrl url;
    /** Whether users are found by a search as the service account (else their DN comes from the pattern). */
    final boolean search;
    /** The DN pattern (direct bind) or the filter (search-then-bind). */
    final UserTemplate userTemplate;
    final String bindDn;
    final String bindPassword;
    final String userSearchBase;
    /** The required group's DN, or empty. */
    final String requireGroup;
    final boolean startTls;
    final boolean tlsConfigured;
    final UpstreamTlsConfig tls;
    final Duration connectTimeout;
    final Duration timeout;
    final int maxConnections;
    final int maxPending;

    private LdapSettings(LdapAuthenticator.Builder b, LdapUrl url, UserTemplate userTemplate) {
        this.url = url;
        this.search = b.userDnPattern.isEmpty();
        this.userTemplate = userTemplate;
        this.bindDn = b.bindDn;
        this.bindPassword = b.bindPassword;
        this.userSearchBase = b.userSearchBase;
        this.requireGroup = b.requireGroup;
        this.startTls = b.startTls;
        this.tlsConfigured = !b.tls.isEmpty();
        this.tls = b.tls.isEmpty() ? UpstreamTlsConfig.ofDefaults() : b.tls.get(0);
        this.connectTimeout = b.connectTimeout;
        this.timeout = b.timeout;
        this.maxConnections = b.maxConnections;
        this.maxPending = b.maxPending;
    }

    /**
     * Validates everything {@code b} holds.
     *
     * @throws ConfigurationException listing every violation, each naming the setting and its value
     */
    static LdapSettings of(LdapAuthenticator.Builder b) {
        List<Violation> problems = new ArrayList<>();
        LdapUrl url = null;
        try {
            url = LdapUrl.parse(b.url);
        } catch (IllegalArgumentException e) {
            problems.add(new Violation("url", e.getMessage()));
        }
        UserTemplate template = userTemplate(b, problems);
        if (!b.requireGroup.isEmpty()) {
            dn(problems, "requireGroup", b.requireGroup);
        }
        if (url != null && url.secure() && b.startTls) {
            problems.add(new Violation("startTls", "true with " + url + " (expected: StartTLS on ldap:// only; "
                    + "ldaps:// is TLS from the first byte)"));
        }
        if (url != null && !url.secure() && !b.startTls && !b.tls.isEmpty()) {
            problems.add(new Violation("tls", "set, but " + url + " is plain text without StartTLS (expected: "
                    + "ldaps:// or startTls(true))"));
        }
        duration(problems, "connectTimeout", b.connectTimeout);
        duration(problems, "timeout", b.timeout);
        range(problems, "maxConnections", b.maxConnections, 1, MAX_CONNECTIONS);
        range(problems, "maxPending", b.maxPending, 0, MAX_PENDING);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new LdapSettings(b, url, template);
    }

    private static UserTemplate userTemplate(LdapAuthenticator.Builder b, List<Violation> problems) {
        boolean anySearch = !b.bindDn.isEmpty() || !b.bindPassword.isEmpty() || !b.userSearchBase.isEmpty()
                || !b.userFilter.isEmpty();
        if (!b.userDnPattern.isEmpty()) {
            if (anySearch) {
                problems.add(new Violation("userDnPattern", "'" + b.userDnPattern + "' set together with "
                        + "search-then-bind settings (expected: either userDnPattern, or bindDn, bindPassword, "
                        + "userSearchBase and userFilter)"));
            }
            try {
                return UserTemplate.dnPattern(b.userDnPattern);
            } catch (IllegalArgumentException e) {
                problems.add(new Violation("userDnPattern", e.getMessage()));
                return null;
            }
        }
        if (!anySearch) {
            problems.add(new Violation("userDnPattern", "missing (expected: userDnPattern for direct bind, or "
                    + "bindDn, bindPassword, userSearchBase and userFilter for search-then-bind)"));
            return null;
        }
        dn(problems, "bindDn", b.bindDn);
        if (b.bindPassword.isEmpty()) {
            problems.add(new Violation("bindPassword", "missing (expected: the service account's password; an "
                    + "empty password would be an anonymous bind)"));
        }
        dn(problems, "userSearchBase", b.userSearchBase);
        if (b.userFilter.isEmpty()) {
            problems.add(new Violation("userFilter", "missing (expected: a filter with {user}, e.g. (uid={user}))"));
            return null;
        }
        try {
            return UserTemplate.filter(b.userFilter);
        } catch (IllegalArgumentException e) {
            problems.add(new Violation("userFilter", e.getMessage()));
            return null;
        }
    }

    private static void dn(List<Violation> problems, String field, String value) {
        if (value.isEmpty()) {
            problems.add(new Violation(field, "missing (expected: a DN, e.g. cn=switchboard,ou=services,dc=example,"
                    + "dc=test, with search-then-bind)"));
            return;
        }
        try {
            new DN(value);
        } catch (LDAPException e) {
            problems.add(new Violation(field, "'" + value + "' is not a DN (" + e.getMessage() + ")"));
        }
    }

    private static void duration(List<Violation> problems, String field, Duration value) {
        if (value.isNegative() || value.isZero() || value.compareTo(MAX_TIMEOUT) > 0) {
            problems.add(new Violation(field, value + " (expected: > 0 and <= " + MAX_TIMEOUT + ")"));
        }
    }

    private static void range(List<Violation> problems, String field, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(new Violation(field, value + " (expected: " + min + ".." + max + ")"));
        }
    }

    @Override
    public String toString() {
        String how = search ? "search " + userSearchBase + " for " + userTemplate + " as " + bindDn
                : "bind as " + userTemplate;
        return url + (startTls ? " with StartTLS" : "") + ", " + how
                + (requireGroup.isEmpty() ? "" : ", group " + requireGroup)
                + ", timeout " + timeout.toMillis() + " ms";
    }
}
