package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Address;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.Violation;
import dev.switchboard.api.VirtualService;
import dev.switchboard.health.internal.BodyPatterns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthTargetsTest {

    private static final HealthCheck OWA = HealthCheck.http().path("/owa/healthcheck.htm").build();
    private static final HealthCheck SMTP = HealthCheck.tcp().port(25).build();

    @TempDir
    Path dir;

    private static LoadBalancer mail(HealthCheck owa, HealthCheck smtp) {
        return LoadBalancer.builder()
                .virtualService(VirtualService.builder("mail").listen("10.0.0.1:443")
                        .subService(SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"))
                                .realServer(RealServer.of("ex01", "10.0.0.11:443"))
                                .realServer(RealServer.of("ex02", "10.0.0.12:443"))
                                .healthCheck(owa).build())
                        .subService(SubService.builder("ecp").asDefault()
                                .realServer(RealServer.of("ex01", "10.0.0.11:443")).build())
                        .build())
                .virtualService(VirtualService.builder("smtp").listen("10.0.0.1:25")
                        .protocol(dev.switchboard.api.Protocol.TCP)
                        .subService(SubService.builder("relay").asDefault()
                                .realServer(RealServer.of("mx01", "10.0.0.21:2525")).healthCheck(smtp).build())
                        .build())
                .build();
    }

    @Test
    void of_model_onePerRealServerOfEverySubServiceWithACheck_inModelOrder() {
        Set<HealthTarget> targets = HealthTargets.of(mail(OWA, SMTP));

        assertThat(targets).containsExactly(
                HealthTarget.of("mail", "owa", "ex01", Address.parse("10.0.0.11:443"), OWA),
                HealthTarget.of("mail", "owa", "ex02", Address.parse("10.0.0.12:443"), OWA),
                HealthTarget.of("smtp", "relay", "mx01", Address.parse("10.0.0.21:2525"), SMTP));
        assertThat(targets).extracting(HealthTarget::probedAddress).last().isEqualTo(Address.parse("10.0.0.21:25"));
        assertThatThrownBy(() -> targets.clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void of_equalModels_equalTargets_soAReloadDiffFindsNothingChanged() {
        HealthCheck owaAgain = HealthCheck.http().path("/owa/healthcheck.htm").build();
        assertThat(HealthTargets.of(mail(owaAgain, SMTP))).isEqualTo(HealthTargets.of(mail(OWA, SMTP)));
        assertThat(HealthTargets.of(mail(OWA.newBuilder().rise(5).build(), SMTP)))
                .isNotEqualTo(HealthTargets.of(mail(OWA, SMTP)));
    }

    @Test
    void of_badPatternAndUnreadableCa_listsEachWithItsModelPath() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        HealthCheck owa = HealthCheck.https().path("/owa").bodyPattern("(?i)ok(").trustCertificates(notPem).build();

        assertThatThrownBy(() -> HealthTargets.of(mail(owa, SMTP)))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::path).containsExactly(
                            "virtualServices[0].subServices[0].healthCheck.bodyPattern",
                            "virtualServices[0].subServices[0].healthCheck.trust");
                    assertThat(e.getMessage()).contains("healthCheck.bodyPattern: (?i)ok( (expected: an RE2J regular"
                            + " expression: ").contains("healthCheck.trust: " + notPem + " (expected: a readable PEM");
                });
    }

    @Test
    void validate_lookaroundValidInJavaButNotRe2j_isRefused() {
        HealthCheck check = HealthCheck.http().bodyPattern("ok(?=!)").build();
        assertThatThrownBy(() -> HealthTargets.validate(check))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.violations())
                        .extracting(Violation::path).containsExactly("bodyPattern"));
        HealthTargets.validate(HealthCheck.http().bodyPattern("(?i)status:\\s*ok").build());
    }

    @Test
    void bodyPatterns_matches_isRe2jFind_andNoPatternMatchesAnything() {
        HealthCheck c = HealthCheck.http().bodyPattern("(?i)status:\\s*ok").build();
        assertThat(BodyPatterns.matches(c, "x\nStatus: OK\n")).isTrue();
        assertThat(BodyPatterns.matches(c, "status: maintenance")).isFalse();
        assertThat(BodyPatterns.matches(HealthCheck.http().build(), "")).isTrue();
    }
}
