package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    @Test
    void http_defaults_areDocumentedValues() {
        HealthCheck c = HealthCheck.http().build();
        assertThat(c.type()).isEqualTo(HealthCheck.Type.HTTP);
        assertThat(c.interval()).isEqualTo(HealthCheck.DEFAULT_INTERVAL);
        assertThat(c.timeout()).isEqualTo(HealthCheck.DEFAULT_TIMEOUT);
        assertThat(c.rise()).isEqualTo(2);
        assertThat(c.fall()).isEqualTo(3);
        assertThat(c.initialState()).isEqualTo(Health.DOWN);
        assertThat(c.method()).isEqualTo(HealthCheck.Method.GET);
        assertThat(c.path()).isEqualTo("/");
        assertThat(c.expectsStatus(200)).isTrue();
        assertThat(c.expectsStatus(399)).isTrue();
        assertThat(c.expectsStatus(400)).isFalse();
    }

    @Test
    void build_invalidValues_listsEveryFieldWithItsValue() {
        assertThatThrownBy(() -> HealthCheck.http()
                .interval(Duration.ZERO).timeout(Duration.ofMillis(-5)).rise(0).fall(1001).port(70000)
                .path("health").bodyPattern("a\nb").expectStatus(99).expectStatusRange(503, 500)
                .header("Bad Name", "x").basicAuth("a:b", "pw").hostHeader("bad host")
                .build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
                            "interval", "timeout", "rise", "fall", "port", "path", "bodyPattern",
                            "expectedStatuses[0]", "expectedStatuses[1]", "headers[Bad Name]", "username",
                            "hostHeader");
                    assertThat(e.getMessage())
                            .contains("interval: PT0S (expected: 1ms..1h)")
                            .contains("rise: 0 (expected: 1..1000)")
                            .contains("fall: 1001")
                            .contains("port: 70000")
                            .contains("path: 'health'")
                            .contains("bodyPattern: a\nb (expected: at most 1024 characters, no control characters)")
                            .contains("expectedStatuses[1]: 503..500");
                });
    }

    @Test
    void tcp_withHttpOptions_rejectsEachOption() {
        assertThatThrownBy(() -> HealthCheck.tcp().path("/x").bodyPattern("ok").build())
                .isInstanceOfSatisfying(ConfigurationException.class, e ->
                        assertThat(e.violations()).extracting(Violation::path).containsExactly("path", "bodyPattern"));
    }

    @Test
    void reuseConnection_defaultsToTrueOnPlainHttpOnly_andIsPartOfEquality() {
        assertThat(HealthCheck.http().build().reuseConnection()).isTrue();
        assertThat(HealthCheck.httpAgent().build().reuseConnection()).isTrue();
        assertThat(HealthCheck.https().build().reuseConnection()).isFalse();
        assertThat(HealthCheck.tcp().build().reuseConnection()).isFalse();
        HealthCheck fresh = HealthCheck.http().reuseConnection(false).build();
        assertThat(fresh.reuseConnection()).isFalse();
        assertThat(fresh).isNotEqualTo(HealthCheck.http().build());
        assertThat(fresh.newBuilder().build()).isEqualTo(fresh).hasSameHashCodeAs(fresh);
        assertThat(fresh.toString()).endsWith("new connection per probe");
    }

    @Test
    void reuseConnection_onHttpsOrTcp_isRejected() {
        assertThatThrownBy(() -> HealthCheck.https().reuseConnection(true).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("reuseConnection: true on a HTTPS check (expected: only on http and http agent"
                        + " checks; an HTTPS probe opens a new connection each time)");
        assertThatThrownBy(() -> HealthCheck.tcp().reuseConnection(false).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("reuseConnection: false on a TCP check");
    }

    @Test
    void head_withBodyPattern_isRejected() {
        assertThatThrownBy(() -> HealthCheck.http().method(HealthCheck.Method.HEAD).bodyPattern("ok").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bodyPattern: ok (expected: none on a HEAD check");
    }

    @Test
    void get_withRequestBody_isRejected() {
        assertThatThrownBy(() -> HealthCheck.http().requestBody("x", "text/plain").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("requestBody: set on a GET check");
    }

    @Test
    void post_withBadContentType_isRejected() {
        assertThatThrownBy(() -> HealthCheck.http().method(HealthCheck.Method.POST).requestBody("x", "not a type").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("contentType: 'not a type'");
    }

    @Test
    void hostInHeaders_isRejectedInFavourOfHostHeader() {
        assertThatThrownBy(() -> HealthCheck.http().header("Host", "a").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("headers[Host]");
    }

    @Test
    void statusSetsAndRanges_acceptOnlyTheirCodes() {
        HealthCheck c = HealthCheck.http().expectStatus(200, 204).expectStatusRange(300, 302).build();
        assertThat(c.expectsStatus(200)).isTrue();
        assertThat(c.expectsStatus(204)).isTrue();
        assertThat(c.expectsStatus(201)).isFalse();
        assertThat(c.expectsStatus(301)).isTrue();
        assertThat(c.expectsStatus(303)).isFalse();
    }

    @Test
    void equalChecks_areEqual_andToStringHidesPassword() {
        HealthCheck a = HealthCheck.http().path("/h").basicAuth("probe", "s3cret").build();
        HealthCheck b = HealthCheck.http().path("/h").basicAuth("probe", "s3cret").build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(HealthCheck.http().path("/h").basicAuth("probe", "other").build());
        assertThat(a.toString()).contains("probe").doesNotContain("s3cret");
        assertThat(a.newBuilder().build()).isEqualTo(a);
    }

    @Test
    void hostHeader_hostPortAndBracketedIpv6_acceptedOtherwiseRefused() {
        assertThat(HealthCheck.http().hostHeader("mail.example.com:8443").build().hostHeader())
                .isEqualTo("mail.example.com:8443");
        assertThat(HealthCheck.http().hostHeader("[::1]:80").build().hostHeader()).isEqualTo("[::1]:80");
        for (String bad : new String[] {"a b", "host:99999", "-bad.example", "a/b"}) {
            assertThatThrownBy(() -> HealthCheck.http().hostHeader(bad).build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("hostHeader: '" + bad + "' (expected: host or host:port)");
        }
    }

    @Test
    void path_withFragmentOrControlCharacter_isRefused() {
        assertThat(HealthCheck.http().path("/h?x=%20y").build().path()).isEqualTo("/h?x=%20y");
        for (String bad : new String[] {"/h#frag", "/h\tx", "/a b"}) {
            assertThatThrownBy(() -> HealthCheck.http().path(bad).build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("path: '" + bad + "'");
        }
    }

    @Test
    void header_withNonAsciiValue_isRefused() {
        assertThatThrownBy(() -> HealthCheck.http().header("X-A", "caf\u00e9").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("headers[X-A]: 'X-A: caf\u00e9' (expected: a token name and a printable value)");
    }

    @Test
    void trustCertificates_onHttps_keepsThePathUnread() {
        HealthCheck c = HealthCheck.https().trustCertificates(java.nio.file.Path.of("/nowhere/ca.pem")).build();
        assertThat(c.trust()).isEqualTo(HealthCheck.Trust.CERTIFICATES);
        assertThat(c.trustedCaFile()).isEqualTo("/nowhere/ca.pem");
        assertThat(c).isNotEqualTo(HealthCheck.https().build());
    }

    @Test
    void subService_healthCheck_isKeptNextToItsPool() {
        HealthCheck check = HealthCheck.tcp().build();
        SubService sub = SubService.builder("owa").asDefault().realServer(RealServer.of("ex01", "10.0.0.11:443"))
                .healthCheck(check).build();
        assertThat(sub.findHealthCheck()).containsSame(check);
        assertThat(SubService.builder("ews").asDefault().realServer(RealServer.of("ex01", "10.0.0.11:443")).build()
                .findHealthCheck()).isEmpty();
        assertThatThrownBy(() -> SubService.builder("x").healthCheck(null))
                .isInstanceOf(NullPointerException.class).hasMessage("healthCheck");
    }

    @Test
    void jitter_defaultTenPercent_setValueKept_partOfEquality() {
        assertThat(HealthCheck.http().build().jitter()).isEqualTo(HealthCheck.DEFAULT_JITTER).isEqualTo(0.1);
        HealthCheck exact = HealthCheck.tcp().jitter(0).build();
        assertThat(exact.jitter()).isZero();
        assertThat(exact.newBuilder().build()).isEqualTo(exact);
        assertThat(HealthCheck.tcp().jitter(0.5).build()).isNotEqualTo(exact); // not shared as one probe
    }

    @Test
    void jitter_outOfRange_refusedWithTheValue() {
        for (double bad : new double[] {-0.01, 0.51, Double.NaN}) {
            assertThatThrownBy(() -> HealthCheck.http().jitter(bad).build())
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                        assertThat(e.violations()).extracting(Violation::path).containsExactly("jitter");
                        assertThat(e.getMessage()).contains("jitter: " + bad + " (expected: 0..0.5");
                    });
        }
    }
}
