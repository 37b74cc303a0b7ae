package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The builder's rules for gRPC health checks. */
class GrpcHealthCheckTest {

    @Test
    void grpc_takesServiceAuthorityAndMetadata_andTheyArePartOfEquality() {
        HealthCheck c = HealthCheck.grpc().grpcService("switchboard.Mail").hostHeader("api.example.test")
                .header("x-probe", "1").build();
        assertThat(c.type()).isEqualTo(HealthCheck.Type.GRPC);
        assertThat(c.type().grpc()).isTrue();
        assertThat(c.type().http()).isFalse();
        assertThat(c.grpcService()).isEqualTo("switchboard.Mail");
        assertThat(c.reuseConnection()).isFalse();
        assertThat(c).isEqualTo(c.newBuilder().build()).hasSameHashCodeAs(c.newBuilder().build())
                .isNotEqualTo(c.newBuilder().grpcService("other.Service").build());
        assertThat(c.toString()).isEqualTo("grpc check service switchboard.Mail authority api.example.test");
        assertThat(HealthCheck.grpc().build().grpcService()).isEmpty();
        assertThat(HealthCheck.http().build().grpcService()).isEmpty();
    }

    @Test
    void grpcs_takesTrust_grpcDoesNot() {
        HealthCheck c = HealthCheck.grpcs().trustCertificates(Path.of("ca.pem")).build();
        assertThat(c.trust()).isEqualTo(HealthCheck.Trust.CERTIFICATES);
        assertThat(c.toString()).isEqualTo("grpcs check trust CERTIFICATES ca.pem");
        assertThatThrownBy(() -> HealthCheck.grpc().insecure().build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::path).containsExactly("trust");
                    assertThat(e.getMessage()).contains("(expected: only on https and grpcs checks)");
                });
    }

    @Test
    void grpc_withHttpOnlyOptions_namesEachField() {
        assertThatThrownBy(() -> HealthCheck.grpc().path("/health").bodyPattern("ok").expectStatus(200)
                .basicAuth("u", "p").method(HealthCheck.Method.POST).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::path).containsExactlyInAnyOrder("path",
                            "bodyPattern", "expectedStatuses", "username", "method");
                    assertThat(e.getMessage()).contains("path: set on a GRPC check (expected: only on http checks;"
                            + " a grpc check takes the host and headers)");
                });
        assertThatThrownBy(() -> HealthCheck.grpc().reuseConnection(true).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e ->
                        assertThat(e.violations()).extracting(Violation::path).containsExactly("reuseConnection"));
    }

    @Test
    void grpcService_badNameOrOnAnotherKind_isRefusedWithItsValue() {
        assertThatThrownBy(() -> HealthCheck.grpc().grpcService("has space").build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::path).containsExactly("grpcService");
                    assertThat(e.getMessage()).contains("grpcService: 'has space' (expected: up to 200 letters");
                });
        assertThatThrownBy(() -> HealthCheck.grpc().grpcService("a".repeat(201)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("grpcService: 'aaa");
        assertThatThrownBy(() -> HealthCheck.http().grpcService("x.Y").build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::path).containsExactly("grpcService");
                    assertThat(e.getMessage()).contains("'x.Y' on a HTTP check (expected: only on grpc checks)");
                });
    }

    @Test
    void grpc_metadataTheProbeSetsItself_orBadAuthority_isRefused() {
        assertThatThrownBy(() -> HealthCheck.grpc().header("grpc-timeout", "1S").header("te", "x")
                .header("content-type", "text/plain").header("Bad Name", "v").hostHeader("bad host").build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
                            "headers[grpc-timeout]", "headers[te]", "headers[content-type]", "headers[Bad Name]",
                            "hostHeader");
                    assertThat(e.getMessage()).contains("grpc-timeout (expected: metadata of your own;");
                });
    }
}
