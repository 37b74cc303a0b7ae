package dev.switchboard.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.tls.testing.TestPki;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Configuration validation: every problem at once, each with its path. */
class ConfigValidationTest {

    private static final TlsCertificate CERTIFICATE = TestPki.leaf(TestPki.ca("Test CA"), "a.example.com").tls();

    @Test
    void serverBuild_badValues_listsEveryProblem() {
        assertThatThrownBy(() -> ServerTlsConfig.builder(CERTIFICATE)
                .protocols("TLSv1", "TLSv1.3")
                .applicationProtocols("h2", "")
                .namedGroups("X25519", "brainpool")
                .sessionCacheSize(0)
                .sessionTimeout(Duration.ofDays(2))
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("5 configuration problems:\n"
                        + "  protocols[0]: 'TLSv1' (expected: TLSv1.2 or TLSv1.3)\n"
                        + "  applicationProtocols[1]: '' (expected: 1..255 bytes, e.g. h2, http/1.1)\n"
                        + "  namedGroups[1]: 'brainpool' (expected: one of X25519, P-256, P-384, P-521,"
                        + " X25519MLKEM768)\n"
                        + "  sessionCacheSize: 0 (expected: 1..10000000)\n"
                        + "  sessionTimeout: PT48H (expected: PT1S..P1D)");
    }

    @Test
    void serverBuild_defaults_areTheDocumentedOnes() {
        ServerTlsConfig config = ServerTlsConfig.builder(CERTIFICATE).build();

        assertThat(config.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(config.namedGroups()).containsExactly("X25519", "P-256", "P-384");
        assertThat(config.sessionCacheSize()).isEqualTo(20_000);
        assertThat(config.sessionTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.sessionTickets()).isFalse();
        assertThat(config.provider()).isEqualTo(TlsProvider.AUTO);
    }

    @Test
    void serverContext_unsupportedCipherSuite_namesItAndTheProvider() {
        ServerTlsConfig config = ServerTlsConfig.builder(CERTIFICATE).provider(TlsProvider.CONSCRYPT)
                .cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_RC4_128_MD5").build();

        assertThatThrownBy(() -> TlsContexts.server(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cipherSuites[1]: 'TLS_RSA_WITH_RC4_128_MD5' (not supported by Conscrypt)");
    }

    @Test
    void upstreamBuild_emptyProtocols_rejected() {
        assertThatThrownBy(() -> UpstreamTlsConfig.builder().protocols().build())
                .hasMessageContaining("protocols: empty (expected: TLSv1.2 and/or TLSv1.3)");
    }

    @Test
    void serverToBuilder_roundTrip_keepsEveryValue() {
        ServerTlsConfig config = ServerTlsConfig.builder(CERTIFICATE).applicationProtocols("h2")
                .sessionTickets(true).provider(TlsProvider.JDK).build();

        ServerTlsConfig copy = config.toBuilder().build();

        assertThat(copy.applicationProtocols()).containsExactly("h2");
        assertThat(copy.sessionTickets()).isTrue();
        assertThat(copy.provider()).isEqualTo(TlsProvider.JDK);
        assertThat(copy.certificates()).isSameAs(config.certificates());
    }
}
