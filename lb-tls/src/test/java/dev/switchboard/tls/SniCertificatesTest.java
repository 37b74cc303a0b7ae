package dev.switchboard.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.tls.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Choosing a certificate by server name, without a handshake. */
class SniCertificatesTest {

    private static TlsCertificate fallback;
    private static TlsCertificate mail;
    private static TlsCertificate wildcard;
    private static SniCertificates sni;

    @BeforeAll
    static void certificates() {
        TestPki.Issued ca = TestPki.ca("Test CA");
        fallback = TestPki.leaf(ca, "default.example.net").tls();
        mail = TestPki.leaf(ca, "mail.example.com").tls();
        wildcard = TestPki.leaf(ca, "*.example.com").tls();
        sni = SniCertificates.builder(fallback).add(mail).add(wildcard).build();
    }

    @Test
    void select_exactName_thatCertificate() {
        assertThat(sni.select("mail.example.com")).isSameAs(mail);
    }

    @Test
    void select_exactNameMixedCaseWithTrailingDot_thatCertificate() {
        assertThat(sni.select("MAIL.Example.COM.")).isSameAs(mail);
    }

    @Test
    void select_oneLabelUnderWildcard_wildcardCertificate() {
        assertThat(sni.select("owa.example.com")).isSameAs(wildcard);
    }

    @Test
    void select_twoLabelsUnderWildcard_default() {
        assertThat(sni.select("a.owa.example.com")).isSameAs(fallback);
    }

    @Test
    void select_wildcardApex_default() {
        assertThat(sni.select("example.com")).isSameAs(fallback);
    }

    @Test
    void select_unknownOrMissing_default() {
        assertThat(sni.select("www.other.org")).isSameAs(fallback);
        assertThat(sni.select("")).isSameAs(fallback);
        assertThat(sni.select("default.example.net")).isSameAs(fallback);
    }

    @Test
    void build_explicitNames_overrideTheCertificateNames() {
        SniCertificates explicit = SniCertificates.builder(fallback).add(mail, "webmail.example.org", "*.mail.test")
                .build();

        assertThat(explicit.select("webmail.example.org")).isSameAs(mail);
        assertThat(explicit.select("x.mail.test")).isSameAs(mail);
        assertThat(explicit.select("mail.example.com")).isSameAs(fallback);
        assertThat(explicit.certificates()).containsExactly(fallback, mail);
    }

    @Test
    void build_duplicateAndInvalidNames_listsEveryProblemWithItsPath() {
        assertThatThrownBy(() -> SniCertificates.builder(fallback)
                .add(mail)
                .add(wildcard, "mail.example.com", "*.*.example.com", "bad name")
                .add(wildcard)
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("3 configuration problems:\n"
                        + "  certificates[1].names[0]: 'mail.example.com' is already served by certificates[0]\n"
                        + "  certificates[1].names[1]: '*.*.example.com' (expected: a DNS name or *.domain)\n"
                        + "  certificates[1].names[2]: 'bad name' (expected: a DNS name or *.domain)");
    }

    @Test
    void build_defaultNameClaimedByAnEntry_entryWins() {
        SniCertificates claimed = SniCertificates.builder(fallback).add(mail, "default.example.net").build();

        assertThat(claimed.select("default.example.net")).isSameAs(mail);
    }
}
