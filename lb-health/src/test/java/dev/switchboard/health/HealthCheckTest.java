package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Health;
import dev.switchboard.api.Violation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    @Test
    void http_defaults_areDocumentedValues() {
        HealthCheck c = HealthChecks.http().build();
        assertThat(c.type()).isEqualTo(HealthCheck.Type.HTTP);
        assertThat(c.interval()).isEqualTo(HealthCheck.DEFAULT_INTERVAL);
        assertThat(c.timeout()).isEqualTo(HealthCheck.DEFAULT_TIMEOUT);
        assertThat(c.rise()).isEqualTo(2);
        assertThat(c.fall()).isEqualTo(3);
        assertThat(c.initialState()).isEqualTo(Health.DOWN);
        assertThat(c.method()).isEqualTo(HttpMethod.GET);
        assertThat(c.path()).isEqualTo("/");
        assertThat(c.expectsStatus(200)).isTrue();
        assertThat(c.expectsStatus(399)).isTrue();
        assertThat(c.expectsStatus(400)).isFalse();
    }

    @Test
    void build_invalidValues_listsEveryFieldWithItsValue() {
        assertThatThrownBy(() -> HealthChecks.http()
                .interval(Duration.ZERO).timeout(Duration.ofMillis(-5)).rise(0).fall(1001).port(70000)
                .path("health").bodyPattern("(unclosed").expectStatus(99).expectStatusRange(503, 500)
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
                            .contains("bodyPattern: (unclosed")
                            .contains("expectedStatuses[1]: 503..500");
                });
    }

    @Test
    void tcp_withHttpOptions_rejectsEachOption() {
        assertThatThrownBy(() -> HealthChecks.tcp().path("/x").bodyPattern("ok").build())
                .isInstanceOfSatisfying(ConfigurationException.class, e ->
                        assertThat(e.violations()).extracting(Violation::path).containsExactly("path", "bodyPattern"));
    }

    @Test
    void reuseConnection_defaultsToTrueOnPlainHttpOnly_andIsPartOfEquality() {
        assertThat(HealthChecks.http().build().reuseConnection()).isTrue();
        assertThat(HealthChecks.httpAgent().build().reuseConnection()).isTrue();
        assertThat(HealthChecks.https().build().reuseConnection()).isFalse();
        assertThat(HealthChecks.tcp().build().reuseConnection()).isFalse();
        HealthCheck fresh = HealthChecks.http().reuseConnection(false).build();
        assertThat(fresh.reuseConnection()).isFalse();
        assertThat(fresh).isNotEqualTo(HealthChecks.http().build());
        assertThat(fresh.newBuilder().build()).isEqualTo(fresh).hasSameHashCodeAs(fresh);
        assertThat(fresh.toString()).endsWith("new connection per probe");
    }

    @Test
    void reuseConnection_onHttpsOrTcp_isRejected() {
        assertThatThrownBy(() -> HealthChecks.https().reuseConnection(true).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("reuseConnection: true on a HTTPS check (expected: only on http and http agent"
                        + " checks; an HTTPS probe opens a new connection each time)");
        assertThatThrownBy(() -> HealthChecks.tcp().reuseConnection(false).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("reuseConnection: false on a TCP check");
    }

    @Test
    void head_withBodyPattern_isRejected() {
        assertThatThrownBy(() -> HealthChecks.http().method(HttpMethod.HEAD).bodyPattern("ok").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bodyPattern: ok (expected: none on a HEAD check");
    }

    @Test
    void get_withRequestBody_isRejected() {
        assertThatThrownBy(() -> HealthChecks.http().requestBody("x", "text/plain").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("requestBody: set on a GET check");
    }

    @Test
    void post_withBadContentType_isRejected() {
        assertThatThrownBy(() -> HealthChecks.http().method(HttpMethod.POST).requestBody("x", "not a type").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("contentType: 'not a type'");
    }

    @Test
    void hostInHeaders_isRejectedInFavourOfHostHeader() {
        assertThatThrownBy(() -> HealthChecks.http().header("Host", "a").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("headers[Host]");
    }

    @Test
    void statusSetsAndRanges_acceptOnlyTheirCodes() {
        HealthCheck c = HealthChecks.http().expectStatus(200, 204).expectStatusRange(300, 302).build();
        assertThat(c.expectsStatus(200)).isTrue();
        assertThat(c.expectsStatus(204)).isTrue();
        assertThat(c.expectsStatus(201)).isFalse();
        assertThat(c.expectsStatus(301)).isTrue();
        assertThat(c.expectsStatus(303)).isFalse();
    }

    @Test
    void equalChecks_areEqual_andToStringHidesPassword() {
        HealthCheck a = HealthChecks.http().path("/h").basicAuth("probe", "s3cret").build();
        HealthCheck b = HealthChecks.http().path("/h").basicAuth("probe", "s3cret").build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(HealthChecks.http().path("/h").basicAuth("probe", "other").build());
        assertThat(a.toString()).contains("probe").doesNotContain("s3cret");
        assertThat(a.newBuilder().build()).isEqualTo(a);
    }

    @Test
    void bodyPattern_isRe2jFind() {
        HealthCheck c = HealthChecks.http().bodyPattern("(?i)status:\\s*ok").build();
        assertThat(c.bodyMatches("x\nStatus: OK\n")).isTrue();
        assertThat(c.bodyMatches("status: maintenance")).isFalse();
    }

    @Test
    void jitter_defaultTenPercent_setValueKept_partOfEquality() {
        assertThat(HealthChecks.http().build().jitter()).isEqualTo(HealthCheck.DEFAULT_JITTER).isEqualTo(0.1);
        HealthCheck exact = HealthChecks.tcp().jitter(0).build();
        assertThat(exact.jitter()).isZero();
        assertThat(exact.newBuilder().build()).isEqualTo(exact);
        assertThat(HealthChecks.tcp().jitter(0.5).build()).isNotEqualTo(exact); // not shared as one probe
    }

    @Test
    void jitter_outOfRange_refusedWithTheValue() {
        for (double bad : new double[] {-0.01, 0.51, Double.NaN}) {
            assertThatThrownBy(() -> HealthChecks.http().jitter(bad).build())
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                        assertThat(e.violations()).extracting(Violation::path).containsExactly("jitter");
                        assertThat(e.getMessage()).contains("jitter: " + bad + " (expected: 0..0.5");
                    });
        }
    }
}
