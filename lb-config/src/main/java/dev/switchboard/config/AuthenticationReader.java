package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.AuthMode;
import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.Authentication;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.SingleSignOn;
import dev.switchboard.tls.UpstreamTlsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads pre-authentication: the top-level {@code authentication} section (realm, {@code sso}, and exactly one
 * directory: {@code ldap} or {@code radius}) and the
 * {@code auth}, {@code authExempt} and {@code passCredentials} keys of virtual services and sub-services. Types and
 * LDAP rules are checked here; the values of the model (realm, SSO cookie, exempt prefixes) by the model's
 * {@code build()}, whose violations become lines at the same paths. Stateless.
 */
final class AuthenticationReader {

    static final Set<String> KEYS = Set.of("realm", "ldap", "radius", "sso");
    static final Set<String> SSO_KEYS = Set.of("cookieName", "domain", "secret", "timeout", "idleTimeout");
    static final Set<String> LDAP_KEYS = Set.of("url", "userDnPattern", "requireGroup", "bindDn", "bindPassword",
            "userSearchBase", "userFilter", "connectTimeout", "responseTimeout", "startTls", "trust", "maxConnections",
            "maxPending");
    static final Set<String> RADIUS_KEYS = Set.of("address", "secret", "timeout", "attempts", "nasIdentifier",
            "maxConcurrent", "maxPending");
    private static final String DIRECTORY = "the directory users log in against: \"ldap\": {\"url\": ...} or"
            + " \"radius\": {\"address\": ..., \"secret\": ...}";
    /** The keys of a virtual service or sub-service. */
    static final Set<String> POLICY_KEYS = Set.of("auth", "authExempt", "passCredentials");

    private static final Map<String, AuthMode> MODES = Section.names(AuthMode.values(), AuthMode::configName);

    /** The section as read: the model's settings (when they could be built) and the directory's values. */
    record Result(Optional<Authentication> authentication, LdapSettings ldap, RadiusSettings radius) {
    }

    private AuthenticationReader() {
    }

    static Result read(Section top, TlsReader tls, ViolationLines violations) {
        Optional<Section> found = top.findObject("authentication", KEYS);
        if (found.isEmpty()) {
            return new Result(Optional.empty(), LdapSettings.none(), RadiusSettings.none());
        }
        Section s = found.get();
        Authentication.Builder b = Authentication.builder();
        s.findString("realm").ifPresent(b::realm);
        s.findObject("sso", SSO_KEYS).flatMap(sso -> sso(sso, violations)).ifPresent(b::sso);
        if (!s.has("ldap") && !s.has("radius")) {
            s.errors().missing(s.path("ldap"), DIRECTORY);
        } else if (s.has("ldap") && s.has("radius")) {
            s.errors().add(s.path("radius"), "expected one directory, either ldap or radius, not both",
                    "both ldap and radius"); // the section itself is never shown: it holds the secret
        }
        LdapSettings ldap = s.findObject("ldap", LDAP_KEYS).map(l -> ldap(l, tls)).orElse(LdapSettings.none());
        RadiusSettings radius = s.findObject("radius", RADIUS_KEYS).map(RadiusReader::radius)
                .orElse(RadiusSettings.none());
        try {
            return new Result(Optional.of(b.build()), ldap, radius);
        } catch (ConfigurationException e) {
            violations.addAll(e, p -> p);
            return new Result(Optional.empty(), ldap, radius);
        }
    }

    private static Optional<SingleSignOn> sso(Section s, ViolationLines violations) {
        SingleSignOn.Builder b = SingleSignOn.builder();
        s.findString("cookieName").ifPresent(b::cookieName);
        s.findString("domain").ifPresent(b::domain);
        b.secret(s.requiredNonEmpty("secret", "at least 32 bytes of random text"));
        s.findDuration("timeout").ifPresent(b::timeout);
        s.findDuration("idleTimeout").ifPresent(b::idleTimeout);
        try {
            return Optional.of(b.build());
        } catch (ConfigurationException e) {
            violations.addAll(e, p -> "authentication." + p);
            return Optional.empty();
        }
    }

    private static LdapSettings ldap(Section s, TlsReader tls) {
        String url = s.requiredNonEmpty("url", "ldap://host:port or ldaps://host:port");
        String lower = url.toLowerCase(Locale.ROOT);
        if (!url.isEmpty() && !lower.startsWith("ldap://") && !lower.startsWith("ldaps://")) {
            s.problem("url", "expected ldap://host:port or ldaps://host:port");
        }
        String pattern = s.string("userDnPattern", "");
        String base = s.string("userSearchBase", "");
        String filter = s.string("userFilter", LdapSettings.DEFAULT_USER_FILTER);
        String bindDn = s.string("bindDn", "");
        String password = s.string("bindPassword", "");
        if (pattern.isEmpty() == base.isEmpty()) {
            s.problem(pattern.isEmpty() ? "userDnPattern" : "userSearchBase", "expected either userDnPattern (direct"
                    + " bind) or userSearchBase (search then bind), not " + (pattern.isEmpty() ? "neither" : "both"));
        }
        if (!pattern.isEmpty() && !pattern.contains("{user}")) {
            s.problem("userDnPattern", "expected a DN with {user}, such as uid={user},ou=people,dc=example,dc=test");
        }
        if (!filter.contains("{user}") || !filter.startsWith("(") || !filter.endsWith(")")) {
            s.problem("userFilter", "expected a filter in parentheses with {user}, such as (uid={user})");
        }
        if (!password.isEmpty() && bindDn.isEmpty()) {
            s.problem("bindPassword", "a password without bindDn, expected bindDn too");
        }
        return new LdapSettings(true, url, pattern, s.string("requireGroup", ""), bindDn, password, base, filter,
                timeout(s, "connectTimeout", LdapSettings.DEFAULT_CONNECT_TIMEOUT),
                timeout(s, "responseTimeout", LdapSettings.DEFAULT_RESPONSE_TIMEOUT), transport(s, lower, tls));
    }

    /** StartTLS, trust and the pool; {@code lower}: the URL in lower case. */
    private static LdapSettings.Transport transport(Section s, String lower, TlsReader tls) {
        boolean startTls = s.bool("startTls", false);
        if (startTls && lower.startsWith("ldaps://")) {
            s.problem("startTls", "expected false with an ldaps:// url (TLS from the first byte); StartTLS upgrades"
                    + " ldap:// only");
        }
        List<UpstreamTlsConfig> trust = List.of();
        if (s.has("trust")) {
            if (lower.startsWith("ldap://") && !startTls) {
                s.problem("trust", "only used with an ldaps:// url or \"startTls\": true");
            }
            int before = s.errors().count();
            UpstreamTlsConfig.Builder b = UpstreamTlsConfig.builder();
            tls.trust(s, b);
            if (s.errors().count() == before) {
                trust = List.of(b.build());
            }
        }
        return new LdapSettings.Transport(startTls, trust,
                s.integer("maxConnections", LdapSettings.DEFAULT_MAX_CONNECTIONS, 1, 1024),
                s.integer("maxPending", LdapSettings.DEFAULT_MAX_PENDING, 0, 100_000));
    }

    /** A duration from 1 ms to {@code max} at {@code key}, {@code orElse} when absent or bad (recorded). */
    static Duration timeout(Section s, String key, Duration orElse, Duration max, String expected) {
        Duration d = s.duration(key, orElse);
        if (d.isNegative() || d.isZero() || d.compareTo(max) > 0) {
            s.problem(key, "expected a duration from 1ms to " + expected);
            return orElse;
        }
        return d;
    }

    private static Duration timeout(Section s, String key, Duration orElse) {
        return timeout(s, key, orElse, Duration.ofMinutes(1), "1m");
    }

    /**
     * The policy of a virtual service or sub-service, when it sets any of {@code auth}, {@code authExempt},
     * {@code passCredentials}; what it leaves out comes from {@code inherited} (the virtual service's).
     */
    static Optional<AuthPolicy> findPolicy(Section s, AuthPolicy inherited) {
        if (POLICY_KEYS.stream().noneMatch(s::has)) {
            return Optional.empty();
        }
        AuthMode mode = s.choice("auth", MODES, inherited.mode());
        List<String> exempt = new ArrayList<>();
        if (s.has("authExempt")) {
            List<JsonNode> nodes = s.array("authExempt");
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).isTextual()) {
                    exempt.add(nodes.get(i).textValue());
                } else {
                    s.errors().add(s.path("authExempt") + "[" + i + "]", "expected a path prefix as a string",
                            nodes.get(i));
                }
            }
        } else {
            exempt.addAll(inherited.exempt());
        }
        return Optional.of(AuthPolicy.builder(mode).exempt(exempt)
                .passCredentials(s.bool("passCredentials", inherited.passCredentials())).build());
    }
}
