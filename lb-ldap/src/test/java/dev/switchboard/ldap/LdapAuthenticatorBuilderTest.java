package dev.switchboard.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Violation;
import dev.switchboard.tls.UpstreamTlsConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every bad setting is named with its value; nothing connects at build time; no password in toString. */
class LdapAuthenticatorBuilderTest {

    private static final String PATTERN = "uid={user},ou=people,dc=example,dc=test";

    private static ConfigurationException failure(LdapAuthenticator.Builder builder) {
        try (LdapAuthenticator unexpected = builder.build()) {
            throw new AssertionError("built " + unexpected);
        } catch (ConfigurationException e) {
            return e;
        }
    }

    private static Violation only(LdapAuthenticator.Builder builder) {
        ConfigurationException e = failure(builder);
        assertThat(e.violations()).hasSize(1);
        return e.violations().get(0);
    }

    @Test
    void build_urlWithOtherScheme_namesUrlAndValue() {
        Violation v = only(LdapAuthenticator.builder("http://dc1.example.test").userDnPattern(PATTERN));

        assertThat(v.path()).isEqualTo("url");
        assertThat(v.message()).isEqualTo("'http://dc1.example.test' (expected: scheme ldap:// or ldaps://)");
    }

    @Test
    void build_badUrls_eachNamed() {
        for (String url : new String[] {"dc1.example.test", "ldap://", "ldap://dc1:0", "ldap://dc1:70000",
            "ldap://dc1/dc=example,dc=test", "ldap://user@dc1", "ldap://dc1 x"}) {
            Violation v = only(LdapAuthenticator.builder(url).userDnPattern(PATTERN));

            assertThat(v.path()).as(url).isEqualTo("url");
            assertThat(v.message()).as(url).contains(url);
        }
    }

    @Test
    void build_goodUrls_defaultPortsAndIpv6() {
        assertThat(LdapUrl.parse("ldap://dc1.example.test")).isEqualTo(new LdapUrl(false, "dc1.example.test", 389));
        assertThat(LdapUrl.parse("LDAPS://dc1.example.test/")).isEqualTo(new LdapUrl(true, "dc1.example.test", 636));
        assertThat(LdapUrl.parse("ldap://[::1]:1389")).isEqualTo(new LdapUrl(false, "::1", 1389));
    }

    @Test
    void build_patternWithoutUser_named() {
        Violation v = only(LdapAuthenticator.builder("ldap://dc1").userDnPattern("uid=alice,ou=people"));

        assertThat(v.path()).isEqualTo("userDnPattern");
        assertThat(v.message()).startsWith("'uid=alice,ou=people' (expected: a DN with {user}");
    }

    @Test
    void build_patternWithUserInsideAValue_named() {
        Violation v = only(LdapAuthenticator.builder("ldap://dc1").userDnPattern("cn=x{user},ou=people"));

        assertThat(v.message()).contains("{user} as a whole attribute value");
    }

    @Test
    void build_patternNotADn_named() {
        Violation v = only(LdapAuthenticator.builder("ldap://dc1").userDnPattern("{user}@example.test"));

        assertThat(v.path()).isEqualTo("userDnPattern");
        assertThat(v.message()).startsWith("'{user}@example.test' is not a DN");
    }

    @Test
    void build_neitherMode_namesUserDnPattern() {
        Violation v = only(LdapAuthenticator.builder("ldap://dc1"));

        assertThat(v.path()).isEqualTo("userDnPattern");
        assertThat(v.message()).startsWith("missing (expected: userDnPattern for direct bind, or bindDn");
    }

    @Test
    void build_bothModes_refused() {
        Violation v = only(LdapAuthenticator.builder("ldap://dc1").userDnPattern(PATTERN).bindDn("cn=svc"));

        assertThat(v.path()).isEqualTo("userDnPattern");
        assertThat(v.message()).contains("set together with search-then-bind settings");
    }

    @Test
    void build_searchModeIncomplete_namesEveryMissingField() {
        ConfigurationException e = failure(LdapAuthenticator.builder("ldap://dc1").userFilter("(uid={user})"));

        assertThat(e.violations()).extracting(Violation::path)
                .containsExactly("bindDn", "bindPassword", "userSearchBase");
        assertThat(e.violations().get(1).message()).contains("an empty password would be an anonymous bind");
    }

    @Test
    void build_searchModeBadValues_named() {
        ConfigurationException e = failure(LdapAuthenticator.builder("ldap://dc1").bindDn("not a dn")
                .bindPassword("x").userSearchBase("ou=people,dc=example").userFilter("(uid=alice)"));

        assertThat(e.violations()).extracting(Violation::toString).containsExactly(
                "bindDn: 'not a dn' is not a DN (" + dnError("not a dn") + ")",
                "userFilter: '(uid=alice)' (expected: a filter with {user}, e.g. (uid={user}))");
    }

    private static String dnError(String value) {
        try {
            new com.unboundid.ldap.sdk.DN(value);
            return "";
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            return e.getMessage();
        }
    }

    @Test
    void build_filterNotParseable_named() {
        Violation v = only(LdapAuthenticator.builder("ldap://dc1").bindDn("cn=svc").bindPassword("x")
                .userSearchBase("ou=people").userFilter("(uid={user}"));

        assertThat(v.path()).isEqualTo("userFilter");
        assertThat(v.message()).startsWith("'(uid={user}' is not an LDAP filter");
    }

    @Test
    void build_badGroupTimeoutsAndSizes_allListedAtOnce() {
        ConfigurationException e = failure(LdapAuthenticator.builder("ldap://dc1").userDnPattern(PATTERN)
                .requireGroup("mail-users").connectTimeout(Duration.ZERO).timeout(Duration.ofMillis(-1))
                .maxConnections(0).maxPending(-1));

        assertThat(e.violations()).extracting(Violation::path)
                .containsExactly("requireGroup", "connectTimeout", "timeout", "maxConnections", "maxPending");
        assertThat(e.violations().get(1).message()).isEqualTo("PT0S (expected: > 0 and <= PT10M)");
        assertThat(e.violations().get(3).message()).isEqualTo("0 (expected: 1..1024)");
    }

    @Test
    void build_startTlsOnLdaps_refused() {
        Violation v = only(LdapAuthenticator.builder("ldaps://dc1").userDnPattern(PATTERN).startTls(true));

        assertThat(v.path()).isEqualTo("startTls");
    }

    @Test
    void build_tlsOnPlainLdap_refusedAsAFalseSenseOfSecurity() {
        Violation v = only(LdapAuthenticator.builder("ldap://dc1").userDnPattern(PATTERN)
                .tls(UpstreamTlsConfig.ofDefaults()));

        assertThat(v.path()).isEqualTo("tls");
        assertThat(v.message()).contains("plain text without StartTLS");
    }

    @Test
    void build_unreachableServer_buildsWithoutConnecting() {
        try (LdapAuthenticator ldap = LdapAuthenticator.builder("ldap://192.0.2.1:389").userDnPattern(PATTERN)
                .build()) {
            assertThat(ldap.toString()).contains("ldap://192.0.2.1:389");
        }
    }

    @Test
    void toString_searchMode_neverShowsThePassword() {
        try (LdapAuthenticator ldap = LdapAuthenticator.builder("ldap://127.0.0.1").bindDn("cn=svc")
                .bindPassword("very-secret-password").userSearchBase("ou=people").userFilter("(uid={user})")
                .build()) {
            assertThat(ldap.toString()).doesNotContain("very-secret-password").contains("cn=svc");
        }
    }

    @Test
    void setters_null_rejectedAtOnce() {
        LdapAuthenticator.Builder b = LdapAuthenticator.builder("ldap://dc1");

        assertThatThrownBy(() -> b.userDnPattern(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("userDnPattern");
        assertThatThrownBy(() -> b.timeout(null)).isInstanceOf(NullPointerException.class).hasMessage("timeout");
    }
}
