package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.AuthMode;
import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.Authentication;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.SingleSignOn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads pre-authentication: the top-level {@code authentication} section (realm, {@code sso}, {@code ldap}) and the
 * {@code auth}, {@code authExempt} and {@code passCredentials} keys of virtual services and sub-services. Types and
 * LDAP rules are checked here; the values of the model (realm, SSO cookie, exempt prefixes) by the model's
 * {@code build()}, whose violations become lines at the same paths. Stateless.
 */
final class AuthenticationReader {

    static final Set<String> KEYS = Set.of("realm", "ldap", "sso");
    static final Set<String> SSO_KEYS = Set.of("cookieName", "domain", "secret", "timeout", "idleTimeout");
    static final Set<String> LDAP_KEYS = Set.of("url", "userDnPattern", "requireGroup", "bindDn", "bindPassword",
            "userSearchBase", "userFilter", "connectTimeout", "responseTimeout");
    /** The keys of a virtual service or sub-service. */
    static final Set<String> POLICY_KEYS = Set.of("auth", "authExempt", "passCredentials");

    private static final Map<String, AuthMode> MODES = Section.names(AuthMode.values(), AuthMode::configName);

    /** The section as read: the model's settings (when they could be built) and the LDAP values. */
    record Result(Optional<Authentication> authentication, LdapSettings ldap) {
    }

    private AuthenticationReader() {
    }

    static Result read(Section top, ViolationLines violations) {
        Optional<Section> found = top.findObject("authentication", KEYS);
        if (found.isEmpty()) {
            return new Result(Optional.empty(), LdapSettings.none());
        }
        Section s = found.get();
        Authentication.Builder b = Authentication.builder();
        s.findString("realm").ifPresent(b::realm);
        s.findObject("sso", SSO_KEYS).flatMap(sso -> sso(sso, violations)).ifPresent(b::sso);
        LdapSettings ldap = LdapSettings.none();
        if (!s.has("ldap")) {
            s.errors().missing(s.path("ldap"), "the directory users log in against: {\"url\": \"ldap://host:389\","
                    + " \"userDnPattern\": \"uid={user},ou=people,dc=example,dc=test\"}");
        } else {
            ldap = s.findObject("ldap", LDAP_KEYS).map(AuthenticationReader::ldap).orElse(LdapSettings.none());
        }
        try {
            return new Result(Optional.of(b.build()), ldap);
        } catch (ConfigurationException e) {
            violations.addAll(e, p -> p);
            return new Result(Optional.empty(), ldap);
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

    private static LdapSettings ldap(Section s) {
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
                timeout(s, "responseTimeout", LdapSettings.DEFAULT_RESPONSE_TIMEOUT));
    }

    private static Duration timeout(Section s, String key, Duration orElse) {
        Duration d = s.duration(key, orElse);
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(1)) > 0) {
            s.problem(key, "expected a duration from 1ms to 1m");
            return orElse;
        }
        return d;
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
