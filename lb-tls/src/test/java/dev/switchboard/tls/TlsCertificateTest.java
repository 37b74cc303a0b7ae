package dev.switchboard.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.tls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading certificates and keys from PEM and PKCS#12, and every way that can go wrong. */
class TlsCertificateTest {

    private static TestPki.Issued ca;
    private static TestPki.Issued ecLeaf;
    private static TestPki.Issued rsaLeaf;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        ca = TestPki.ca("Test CA");
        ecLeaf = TestPki.leaf(ca, "mail.example.com", "*.mail.example.com");
        rsaLeaf = TestPki.leaf(ca, TestPki.rsa(), Duration.ofDays(30), "owa.example.com");
    }

    private Path file(String name, String text) {
        return TestPki.write(dir.resolve(name), text);
    }

    @Test
    void fromPem_ecChainAndPkcs8Key_loadsChainNamesAndKeyType() {
        Path pem = file("mail.pem", TestPki.certificatePem(ecLeaf.certificate(), ca.certificate()));
        Path key = file("mail.key", TestPki.pkcs8Pem(ecLeaf.keys().getPrivate()));

        TlsCertificate c = TlsCertificate.fromPem(pem, key);

        assertThat(c.chain()).containsExactly(ecLeaf.certificate(), ca.certificate());
        assertThat(c.dnsNames()).containsExactly("mail.example.com", "*.mail.example.com");
        assertThat(c.keyType()).isEqualTo("EC");
        assertThat(c.source()).isEqualTo(pem + " + " + key);
        assertThat(c.toString()).contains("CN=mail.example.com").doesNotContain("PRIVATE");
    }

    @Test
    void fromPem_rsaPkcs1Key_loads() {
        Path pem = file("owa.pem", TestPki.certificatePem(rsaLeaf.certificate()));
        Path key = file("owa.key", TestPki.traditionalPem(rsaLeaf.keys().getPrivate()));

        TlsCertificate c = TlsCertificate.fromPem(pem, key);

        assertThat(c.keyType()).isEqualTo("RSA");
        assertThat(c.privateKey().getEncoded()).isEqualTo(rsaLeaf.keys().getPrivate().getEncoded());
    }

    @Test
    void fromPem_rsaPkcs8Key_loads() {
        Path pem = file("owa.pem", TestPki.certificatePem(rsaLeaf.certificate()));
        Path key = file("owa.key", TestPki.pkcs8Pem(rsaLeaf.keys().getPrivate()));

        assertThat(TlsCertificate.fromPem(pem, key).keyType()).isEqualTo("RSA");
    }

    @Test
    void fromPem_ecSec1Key_loads() {
        Path pem = file("mail.pem", TestPki.certificatePem(ecLeaf.certificate()));
        Path key = file("mail.key", TestPki.traditionalPem(ecLeaf.keys().getPrivate()));

        assertThat(TlsCertificate.fromPem(pem, key).privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void fromPem_oneFileWithChainKeyAndAttributes_loads() {
        Path both = file("mail-full.pem", "Bag Attributes\n    friendlyName: mail\n"
                + TestPki.certificatePem(ecLeaf.certificate(), ca.certificate())
                + "subject=CN = mail\n" + TestPki.traditionalPem(ecLeaf.keys().getPrivate()));

        TlsCertificate c = TlsCertificate.fromPem(both);

        assertThat(c.chain()).hasSize(2);
        assertThat(c.source()).isEqualTo(both.toString());
    }

    @Test
    void fromPkcs12_rightPassword_loads() {
        Path p12 = TestPki.pkcs12(dir.resolve("mail.p12"), ecLeaf, "s3cret".toCharArray());

        TlsCertificate c = TlsCertificate.fromPkcs12(p12, "s3cret".toCharArray());

        assertThat(c.leaf()).isEqualTo(ecLeaf.certificate());
        assertThat(c.reload().leaf()).isEqualTo(ecLeaf.certificate());
    }

    @Test
    void fromPkcs12_wrongPassword_throwsNamingTheFile() {
        Path p12 = TestPki.pkcs12(dir.resolve("mail.p12"), ecLeaf, "s3cret".toCharArray());

        assertThatThrownBy(() -> TlsCertificate.fromPkcs12(p12, "wrong".toCharArray()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage(p12 + ": wrong password (or a damaged PKCS#12 file)")
                .satisfies(e -> assertThat(((TlsConfigurationException) e).source()).isEqualTo(p12.toString()));
    }

    @Test
    void fromPkcs12_unknownAlias_throwsListingTheEntries() {
        Path p12 = TestPki.pkcs12(dir.resolve("mail.p12"), ecLeaf, "pw".toCharArray());

        assertThatThrownBy(() -> TlsCertificate.fromPkcs12(p12, "pw".toCharArray(), "owa"))
                .hasMessage(p12 + ": no key entry named 'owa' (found: [server])");
    }

    @Test
    void fromPkcs12_pemFile_throwsNotPkcs12() {
        Path pem = file("mail.pem", TestPki.certificatePem(ecLeaf.certificate()));

        assertThatThrownBy(() -> TlsCertificate.fromPkcs12(pem, "pw".toCharArray()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageStartingWith(pem + ": ");
    }

    @Test
    void fromPem_missingFile_throwsNamingTheFile() {
        Path missing = dir.resolve("nope.pem");

        assertThatThrownBy(() -> TlsCertificate.fromPem(missing))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage(missing + ": cannot read the file: it does not exist");
    }

    @Test
    void fromPem_binaryFile_throwsNoPemBlock() throws Exception {
        Path der = dir.resolve("mail.der");
        Files.write(der, ecLeaf.certificate().getEncoded());

        assertThatThrownBy(() -> TlsCertificate.fromPem(der, der))
                .hasMessageStartingWith(der + ": no PEM block found");
    }

    @Test
    void fromPem_badBase64_throwsNamingTheLine() {
        Path pem = file("mail.pem", "# comment\n-----BEGIN CERTIFICATE-----\nMIIB!!notbase64\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem))
                .hasMessage(pem + ": line 2: the CERTIFICATE block is not valid base64");
    }

    @Test
    void fromPem_missingEndLine_throwsNamingTheLine() {
        Path pem = file("mail.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n");

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem))
                .hasMessage(pem + ": line 1: 'BEGIN CERTIFICATE' has no END line");
    }

    @Test
    void fromPem_truncatedCertificate_throwsNotX509() throws Exception {
        byte[] der = ecLeaf.certificate().getEncoded();
        Path pem = file("mail.pem", TestPki.pem("CERTIFICATE", java.util.Arrays.copyOf(der, der.length / 2)));
        Path key = file("mail.key", TestPki.pkcs8Pem(ecLeaf.keys().getPrivate()));

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem, key))
                .hasMessageStartingWith(pem + ": certificate 1 (line 1) is not a valid X.509 certificate");
    }

    @Test
    void fromPem_noKeyInKeyFile_throwsListingWhatWasFound() {
        Path pem = file("mail.pem", TestPki.certificatePem(ecLeaf.certificate()));

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem, pem))
                .hasMessage(pem + ": no private key block (expected: PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY;"
                        + " found: CERTIFICATE)");
    }

    @Test
    void fromPem_garbledKey_throwsNotAValidKey() {
        Path pem = file("mail.pem", TestPki.certificatePem(ecLeaf.certificate()));
        Path key = file("mail.key", TestPki.pem("PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem, key))
                .hasMessageStartingWith(key + ": line 1: the PRIVATE KEY block is not a valid key");
    }

    @Test
    void fromPem_encryptedKey_throwsSayingWhatToDo() {
        Path pem = file("mail.pem", TestPki.certificatePem(ecLeaf.certificate()));
        Path key = file("mail.key", TestPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem, key))
                .hasMessageStartingWith(key + ": line 1: the private key is encrypted, which is not supported;")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void fromPem_ecKeyOfAnotherCertificate_throwsMismatchNamingBothFiles() {
        Path pem = file("mail.pem", TestPki.certificatePem(ecLeaf.certificate()));
        Path key = file("other.key", TestPki.pkcs8Pem(TestPki.ec().getPrivate()));

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem, key))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage(key + ": the private key does not match the certificate in " + pem
                        + " (CN=mail.example.com): a test signature does not verify");
    }

    @Test
    void fromPem_rsaKeyOfAnotherCertificate_throwsModulusDiffers() {
        Path pem = file("owa.pem", TestPki.certificatePem(rsaLeaf.certificate()));
        Path key = file("other.key", TestPki.traditionalPem(TestPki.rsa().getPrivate()));

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem, key))
                .hasMessageEndingWith("(CN=owa.example.com): RSA modulus differs");
    }

    @Test
    void fromPem_rsaKeyForEcCertificate_throwsTypeMismatch() {
        Path pem = file("mail.pem", TestPki.certificatePem(ecLeaf.certificate()));
        Path key = file("owa.key", TestPki.pkcs8Pem(rsaLeaf.keys().getPrivate()));

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem, key))
                .hasMessageEndingWith(": the key is RSA, the certificate's key is EC");
    }

    @Test
    void fromPem_expiredCertificate_loadsAndWarnsNamingTheFile() {
        TestPki.Issued expired = TestPki.leaf(ca, TestPki.ec(), Duration.ofDays(-2), "old.example.com");
        Path pem = file("old.pem", TestPki.certificatePem(expired.certificate()));
        Path key = file("old.key", TestPki.pkcs8Pem(expired.keys().getPrivate()));

        try (LogCapture log = new LogCapture()) {
            TlsCertificate c = TlsCertificate.fromPem(pem, key);

            assertThat(c.leaf()).isEqualTo(expired.certificate());
            assertThat(log.text()).contains("WARN").contains(pem + ": certificate CN=old.example.com expired on ")
                    .contains("clients will reject it");
        }
    }

    @Test
    void of_inMemoryKeyAndChain_reloadReturnsItself() {
        TlsCertificate c = TlsCertificate.of(ecLeaf.keys().getPrivate(), List.of(ecLeaf.certificate()));

        assertThat(c.reload()).isSameAs(c);
        assertThat(c.source()).isEqualTo("in-memory certificate CN=mail.example.com");
    }
}
