package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.AuthMode;
import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.Authentication;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code authentication} section and the {@code auth}, {@code authExempt}, {@code passCredentials} keys. */
class ReaderAuthenticationTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-config";

    @TempDir
    Path dir;

    /** {@code %1$s}: the authentication section (with its key); {@code %2$s}: keys of the virtual service. */
    private static final String FILE = """
            {%1$s "virtualServices": [{"name": "mail", "listen": "127.0.0.1:8443", "protocol": "http" %2$s,
              "subServices": [
                {"name": "eas", "match": [{"on": "path", "type": "prefix", "value": "/Microsoft-Server"}],
                 "auth": "basic", "passCredentials": true,
                 "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]},
                {"name": "owa", "default": true, "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    private static final String SECTION = """
            "authentication": {"realm": "mail",
              "ldap": {"url": "ldap://127.0.0.1:389", "userDnPattern": "uid={user},ou=people,dc=example,dc=test",
                       "requireGroup": "cn=mail-users,ou=groups,dc=example,dc=test", "responseTimeout": "2s"},
              "sso": {"cookieName": "SBSSO", "domain": "example.test", "secret": "%s",
                      "timeout": "8h", "idleTimeout": "1h"}},
            """;

    private GatewayConfig read(String section, String vsKeys) {
        return GatewayConfigReader.parse(FILE.formatted(section, vsKeys), dir);
    }

    private List<String> errors(String section, String vsKeys) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(FILE.formatted(section, vsKeys), dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    @Test
    void contractExample_readsTheModelAndTheLdapSettings() {
        GatewayConfig c = read(SECTION.formatted(SECRET), ", \"auth\": \"form\", \"authExempt\": [\"/owa/auth/\"]");
        Authentication a = c.loadBalancer().findAuthentication().orElseThrow();
        assertThat(a.realm()).isEqualTo("mail");
        assertThat(a.findSso().orElseThrow().idleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(a.findSso().orElseThrow().domain()).isEqualTo("example.test");
        VirtualService vs = c.loadBalancer().virtualServices().get(0);
        assertThat(vs.auth()).isEqualTo(AuthPolicy.builder(AuthMode.FORM).exempt("/owa/auth/").build());
        SubService eas = vs.subServices().get(0);
        assertThat(eas.findAuth().orElseThrow()).isEqualTo(AuthPolicy.builder(AuthMode.BASIC).exempt("/owa/auth/")
                .passCredentials(true).build());
        assertThat(vs.subServices().get(1).findAuth()).isEmpty();
        assertThat(c.ldap().url()).isEqualTo("ldap://127.0.0.1:389");
        assertThat(c.ldap().responseTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.ldap().userFilter()).isEqualTo("(uid={user})");
    }

    @Test
    void badValues_areNamedByPathAndValue_secretsHidden() {
        String section = """
                "authentication": {"realm": "ma\\"il",
                  "ldap": {"url": "http://dir", "userDnPattern": "uid=x", "bindPassword": "hunter2"},
                  "sso": {"cookieName": "SB SSO", "secret": "short", "timeout": "0s", "idleTimeout": "2h"}},
                """;
        List<String> e = errors(section, ", \"auth\": \"kerberos\", \"authExempt\": [\"owa\", 7]");
        assertThat(e).contains(
                "authentication.ldap.url: expected ldap://host:port or ldaps://host:port (got \"http://dir\")",
                "authentication.ldap.userDnPattern: expected a DN with {user}, such as"
                        + " uid={user},ou=people,dc=example,dc=test (got \"uid=x\")",
                "authentication.ldap.bindPassword: a password without bindDn, expected bindDn too (got a hidden value)",
                "virtualServices[0].auth: expected one of form, basic, none (got \"kerberos\")",
                "virtualServices[0].authExempt[1]: expected a path prefix as a string (got 7)");
        assertThat(e).anyMatch(l -> l.startsWith("authentication.sso.cookieName: ") && l.endsWith("(got \"SB SSO\")"))
                .anyMatch(l -> l.startsWith("authentication.sso.secret: ") && l.endsWith("(got a hidden value)"))
                .anyMatch(l -> l.startsWith("authentication.sso.timeout: "))
                .anyMatch(l -> l.startsWith("authentication.sso.idleTimeout: "))
                .anyMatch(l -> l.startsWith("virtualServices[0].authExempt[0]: "));
        assertThat(String.join("\n", e)).doesNotContain("hunter2").doesNotContain("\"short\"");
    }

    @Test
    void authWithoutSection_andSectionWithoutLdap_areRefused() {
        assertThat(errors("", "")).anyMatch(l -> l.startsWith(
                "virtualServices[0].subServices[0].auth: 'basic' without authentication settings"));
        assertThat(errors("\"authentication\": {\"realm\": \"mail\"},", ""))
                .anyMatch(l -> l.startsWith("authentication.ldap: missing"));
        assertThat(errors("\"authentication\": {\"realm\": \"mail\", \"kerberos\": {}, \"ldap\": {"
                + "\"url\": \"ldap://h:389\", \"userDnPattern\": \"uid={user}\", \"userSearchBase\": \"dc=x\"}},", ""))
                .anyMatch(l -> l.startsWith("authentication.kerberos: unknown key"))
                .anyMatch(l -> l.startsWith("authentication.ldap.userSearchBase: expected either userDnPattern"));
    }

    @Test
    void ldapSearchThenBind_readsTheServiceAccountAndHidesItsPassword() {
        String section = """
                "authentication": {"ldap": {"url": "ldaps://dir:636", "bindDn": "cn=svc,dc=x",
                  "bindPassword": "hunter2", "userSearchBase": "ou=people,dc=x", "userFilter": "(mail={user})"}},
                """;
        LdapSettings l = read(section, "").ldap();
        assertThat(l.bindDn()).isEqualTo("cn=svc,dc=x");
        assertThat(l.bindPassword()).isEqualTo("hunter2");
        assertThat(l.userFilter()).isEqualTo("(mail={user})");
        assertThat(l.toString()).doesNotContain("hunter2");
    }
}
