package dev.switchboard.ldap;

import static dev.switchboard.ldap.TestDirectory.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.AuthenticationResult.Status;
import dev.switchboard.ldap.TestDirectory.Transport;
import dev.switchboard.tls.UpstreamTlsConfig;
import dev.switchboard.tls.testing.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LDAPS and StartTLS with certificates made at test time: trusted, untrusted, and for another host name. The
 * authenticators connect to "localhost" (the server listens on 127.0.0.1): UnboundID's host name check accepts any
 * certificate on a loopback IP literal, so only a name shows that the check runs.
 */
class LdapTlsTest {

    private static TestPki.Issued ca;
    private static TestPki.Issued server;
    private static TestPki.Issued otherName;
    private static UpstreamTlsConfig trustCa;

    @BeforeAll
    static void certificates(@TempDir Path dir) {
        ca = TestPki.ca("Test LDAP CA");
        server = TestPki.leaf(ca, "localhost");
        otherName = TestPki.leaf(ca, "ldap.elsewhere.test");
        trustCa = UpstreamTlsConfig.builder().trustCertificates(ca.writeCertificate(dir.resolve("ca.pem"))).build();
    }

    private static AuthenticationResult ldaps(TestPki.Issued presented, UpstreamTlsConfig trust) throws Exception {
        try (TestDirectory directory = TestDirectory.tls(Transport.LDAPS, TestPki.serverContext(presented, ca));
             LdapAuthenticator ldap = tls(LdapAuthenticator.builder("ldaps://localhost:" + directory.port()), trust)
                     .userDnPattern(TestDirectory.DN_PATTERN).requireGroup(TestDirectory.MAIL_USERS).build()) {
            return verdict(ldap, "alice", "alice-secret");
        }
    }

    private static AuthenticationResult startTls(TestPki.Issued presented, UpstreamTlsConfig trust) throws Exception {
        try (TestDirectory directory = TestDirectory.tls(Transport.START_TLS, TestPki.serverContext(presented, ca));
             LdapAuthenticator ldap = tls(LdapAuthenticator.builder("ldap://localhost:" + directory.port()), trust)
                     .startTls(true).bindDn(TestDirectory.SERVICE_DN).bindPassword(TestDirectory.SERVICE_PASSWORD)
                     .userSearchBase(TestDirectory.PEOPLE).userFilter("(uid={user})").build()) {
            return verdict(ldap, "alice", "alice-secret");
        }
    }

    private static LdapAuthenticator.Builder tls(LdapAuthenticator.Builder builder, UpstreamTlsConfig trust) {
        return trust == null ? builder : builder.tls(trust);
    }

    @Test
    void ldaps_trustedCertificate_accepted() throws Exception {
        AuthenticationResult result = ldaps(server, trustCa);

        assertThat(result.status()).isEqualTo(Status.ACCEPTED);
        assertThat(result.user()).isEqualTo("alice");
    }

    @Test
    void ldaps_defaultTrust_unavailableNotTrustAll() throws Exception {
        // default: the JDK's system roots, which do not hold the test CA
        AuthenticationResult result = ldaps(server, null);

        assertThat(result.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(result.reason()).startsWith("ldap tls failed: ldaps://localhost:")
                .endsWith("(certificate not trusted)");
    }

    @Test
    void ldaps_certificateForAnotherName_unavailable() throws Exception {
        AuthenticationResult result = ldaps(otherName, trustCa);

        assertThat(result.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(result.reason()).endsWith("(host name not in the certificate)");
    }

    @Test
    void ldaps_insecureTrust_acceptedWithoutVerification() throws Exception {
        AuthenticationResult result = ldaps(otherName, UpstreamTlsConfig.builder().insecure().build());

        assertThat(result.status()).isEqualTo(Status.ACCEPTED);
    }

    @Test
    void startTls_trustedCertificate_accepted() throws Exception {
        AuthenticationResult result = startTls(server, trustCa);

        assertThat(result.status()).isEqualTo(Status.ACCEPTED);
        assertThat(result.user()).isEqualTo("alice");
    }

    @Test
    void startTls_untrustedCertificate_unavailableNotPlainText() throws Exception {
        AuthenticationResult result = startTls(server, null);

        assertThat(result.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(result.reason()).startsWith("ldap tls failed: ldap://localhost:")
                .endsWith("(certificate not trusted)");
    }

    @Test
    void startTls_certificateForAnotherName_unavailable() throws Exception {
        AuthenticationResult result = startTls(otherName, trustCa);

        assertThat(result.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(result.reason()).endsWith("(host name not in the certificate)");
    }
}
