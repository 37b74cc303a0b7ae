package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.tls.UpstreamTlsConfig;
import dev.switchboard.tls.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory of {@code authentication}: the LDAP transport keys ({@code startTls}, {@code trust} read as
 * {@code upstreamTls.trust} is, the pool) and {@code radius} as the alternative to {@code ldap}, good and bad values.
 */
class ReaderDirectoryTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-config";
    private static final String RADIUS_SECRET = "s3cret-of-the-nas";

    @TempDir
    Path dir;

    /** {@code %s}: the directory keys inside {@code authentication}. */
    private static final String FILE = """
            { "authentication": { "realm": "mail", %s,
                "sso": { "domain": "example.test", "secret": "%s" } },
              "virtualServices": [ { "name": "mail", "listen": "127.0.0.1:8443", "protocol": "http", "auth": "basic",
                "subServices": [ { "name": "owa", "default": true,
                  "realServers": [ { "name": "a", "address": "127.0.0.1:9001" } ] } ] } ] }
            """;

    private GatewayConfig read(String directory) {
        return GatewayConfigReader.parse(FILE.formatted(directory, SECRET), dir);
    }

    private List<String> errors(String directory) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(FILE.formatted(directory, SECRET), dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    private static String ldap(String url, String extra) {
        return "\"ldap\": { \"url\": \"" + url + "\", \"userDnPattern\": \"uid={user},ou=people,dc=example,dc=test\""
                + extra + " }";
    }

    @Test
    void ldapStartTlsWithPemTrustAndPool_areRead() {
        TestPki.Issued ca = TestPki.ca("Config Test CA");
        ca.writeCertificate(dir.resolve("corp-ca.pem"));
        LdapSettings l = read(ldap("ldap://dc1.example.test:389", ", \"startTls\": true,"
                + " \"trust\": { \"caCertificate\": \"corp-ca.pem\" }, \"maxConnections\": 4, \"maxPending\": 10,"
                + " \"connectTimeout\": \"500ms\"")).ldap();
        assertThat(l.startTls()).isTrue();
        UpstreamTlsConfig trust = l.findTrust().orElseThrow();
        assertThat(trust.trust()).isEqualTo(UpstreamTlsConfig.Trust.CERTIFICATES);
        assertThat(trust.trustedCertificates()).containsExactly(ca.certificate());
        assertThat(l.maxConnections()).isEqualTo(4);
        assertThat(l.maxPending()).isEqualTo(10);
        assertThat(l.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(l.toString()).contains("with StartTLS").contains("trust CERTIFICATES");
    }

    @Test
    void ldapTrustSystemOrInsecure_onLdaps_andDefaults() {
        assertThat(read(ldap("ldaps://dc1:636", ", \"trust\": \"system\"")).ldap().findTrust().orElseThrow().trust())
                .isEqualTo(UpstreamTlsConfig.Trust.SYSTEM_ROOTS);
        assertThat(read(ldap("ldaps://dc1:636", ", \"trust\": \"insecure\"")).ldap().findTrust().orElseThrow()
                .trust()).isEqualTo(UpstreamTlsConfig.Trust.INSECURE);
        LdapSettings plain = read(ldap("ldap://dc1:389", "")).ldap();
        assertThat(plain.startTls()).isFalse();
        assertThat(plain.findTrust()).isEmpty();
        assertThat(plain.maxConnections()).isEqualTo(LdapSettings.DEFAULT_MAX_CONNECTIONS);
        assertThat(plain.maxPending()).isEqualTo(LdapSettings.DEFAULT_MAX_PENDING);
    }

    @Test
    void ldapBadTransportValues_areNamedByPathAndValue() {
        assertThat(errors(ldap("ldaps://dc1:636", ", \"startTls\": true"))).containsExactly(
                "authentication.ldap.startTls: expected false with an ldaps:// url (TLS from the first byte); StartTLS"
                        + " upgrades ldap:// only (got true)");
        assertThat(errors(ldap("ldap://dc1:389", ", \"trust\": \"system\""))).containsExactly(
                "authentication.ldap.trust: only used with an ldaps:// url or \"startTls\": true (got \"system\")");
        assertThat(errors(ldap("ldap://dc1:389", ", \"startTls\": \"yes\", \"trust\": \"everyone\","
                + " \"maxConnections\": 0, \"maxPending\": -1"))).contains(
                "authentication.ldap.startTls: expected true or false (got \"yes\")",
                "authentication.ldap.trust: expected \"system\", \"insecure\" or {\"caCertificate\": FILE}"
                        + " (got \"everyone\")",
                "authentication.ldap.maxConnections: expected an integer 1..1024 (got 0)",
                "authentication.ldap.maxPending: expected an integer 0..100000 (got -1)");
        assertThat(errors(ldap("ldaps://dc1:636", ", \"trust\": { \"caCertificate\": \"missing.pem\" }")))
                .anyMatch(l -> l.startsWith("authentication.ldap.trust.caCertificate: cannot read file ")
                        && l.endsWith("(got \"missing.pem\")"));
    }

    @Test
    void radius_isReadWithItsDefaults_andNeverShowsTheSecret() {
        RadiusSettings r = read("\"radius\": { \"address\": \"127.0.0.1:1812\", \"secret\": \"" + RADIUS_SECRET
                + "\" }").radius();
        assertThat(r).isEqualTo(new RadiusSettings(true, "127.0.0.1:1812", RADIUS_SECRET, Duration.ofSeconds(5), 2,
                "switchboard", 8, 256));
        assertThat(r.toString()).doesNotContain(RADIUS_SECRET);
        GatewayConfig c = read("\"radius\": { \"address\": \"radius.example.test\", \"secret\": \"x\","
                + " \"timeout\": \"3s\", \"attempts\": 3, \"nasIdentifier\": \"gw-1\", \"maxConcurrent\": 2,"
                + " \"maxPending\": 0 }");
        assertThat(c.radius()).isEqualTo(new RadiusSettings(true, "radius.example.test", "x", Duration.ofSeconds(3),
                3, "gw-1", 2, 0));
        assertThat(c.ldap().enabled()).isFalse();
        assertThat(c.hasDirectory()).isTrue();
    }

    @Test
    void radiusBadValues_areNamedByPathAndValue_secretHidden() {
        List<String> e = errors("\"radius\": { \"address\": \"radius://x/y\", \"secret\": 7, \"timeout\": \"0s\","
                + " \"attempts\": 11, \"nasIdentifier\": \"\", \"maxConcurrent\": 0, \"maxPending\": 100001,"
                + " \"port\": 1812 }");
        assertThat(e).contains(
                "authentication.radius.address: expected host or host:port with a port 1..65535, such as"
                        + " radius.example.test:1812 (got \"radius://x/y\")",
                "authentication.radius.secret: expected a string (got a hidden value)",
                "authentication.radius.timeout: expected a duration from 1ms to 10m (got \"0s\")",
                "authentication.radius.attempts: expected an integer 1..10 (got 11)",
                "authentication.radius.nasIdentifier: expected 1..253 bytes (got \"\")",
                "authentication.radius.maxConcurrent: expected an integer 1..1024 (got 0)",
                "authentication.radius.maxPending: expected an integer 0..100000 (got 100001)");
        assertThat(e).anyMatch(l -> l.startsWith("authentication.radius.port: unknown key"));
        assertThat(errors("\"radius\": { \"address\": \"h:70000\", \"secret\": \"" + RADIUS_SECRET + "\" }"))
                .containsExactly("authentication.radius.address: expected host or host:port with a port 1..65535,"
                        + " such as radius.example.test:1812 (got \"h:70000\")");
        List<String> missing = errors("\"radius\": { }");
        assertThat(missing).anyMatch(l -> l.startsWith("authentication.radius.address: missing"))
                .anyMatch(l -> l.startsWith("authentication.radius.secret: missing"));
        List<String> empty = errors("\"radius\": { \"address\": \"h\", \"secret\": \"\" }");
        assertThat(empty).anyMatch(l -> l.startsWith("authentication.radius.secret: "));
        assertThat(String.join("\n", e) + String.join("\n", empty)).doesNotContain(RADIUS_SECRET);
    }

    @Test
    void bothDirectoriesOrNeither_areRefusedNamingTheField() {
        assertThat(errors(ldap("ldap://dc1:389", "") + ", \"radius\": { \"address\": \"h\", \"secret\": \""
                + RADIUS_SECRET + "\" }")).containsExactly("authentication.radius: expected one directory, either ldap"
                + " or radius, not both (got both ldap and radius)");
        assertThat(errors("\"realm2\": 1")).anyMatch(l -> l.startsWith("authentication.ldap: missing, expected the"
                + " directory users log in against: \"ldap\": {\"url\": ...} or \"radius\": {\"address\": ...,"));
    }
}
