package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.HealthCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code healthCheck.type} {@code grpc} and {@code grpcs}: the gRPC health protocol, with {@code service}. */
class ReaderGrpcHealthTest {

    /** One h2 sub-service; {@code %1$s} adds keys to the virtual service, {@code %2$s} is the check. */
    private static final String FILE = """
            {"virtualServices": [{"name": "api", "listen": "127.0.0.1:8080", "protocol": "http" %1$s,
              "subServices": [{"name": "pool", "default": true, "upstreamProtocol": "h2",
                               "healthCheck": %2$s,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    @TempDir
    Path dir;

    private HealthCheck check(String virtualServiceKeys, String check) {
        return GatewayConfigReader.parse(FILE.formatted(virtualServiceKeys, check), dir).loadBalancer()
                .virtualServices().get(0).subServices().get(0).findHealthCheck().orElseThrow();
    }

    private String error(String check) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(FILE.formatted("", check), dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    @Test
    void grpc_withServiceAuthorityAndMetadata_read() {
        HealthCheck c = check("", """
                {"type": "grpc", "service": "switchboard.Mail", "host": "api.example.test",
                 "headers": {"x-probe": "1"}, "interval": "5s"}""");
        assertThat(c.type()).isEqualTo(HealthCheck.Type.GRPC);
        assertThat(c.grpcService()).isEqualTo("switchboard.Mail");
        assertThat(c.hostHeader()).isEqualTo("api.example.test");
        assertThat(c.headers()).containsEntry("x-probe", "1");
        assertThat(c.interval()).hasSeconds(5);
    }

    @Test
    void grpcs_withoutTrust_inheritsTheUpstreamTlsTrust_orTakesItsOwn() {
        HealthCheck inherited = check(", \"upstreamTls\": {\"trust\": \"insecure\"}", "{\"type\": \"grpcs\"}");
        assertThat(inherited.type()).isEqualTo(HealthCheck.Type.GRPCS);
        assertThat(inherited.trust()).isEqualTo(HealthCheck.Trust.INSECURE);
        assertThat(check("", "{\"type\": \"grpcs\", \"trust\": \"system\"}").trust())
                .isEqualTo(HealthCheck.Trust.SYSTEM_ROOTS);
    }

    @Test
    void badValues_refusedNamingTheKeyAndValue() {
        String at = "virtualServices[0].subServices[0].healthCheck.";
        assertThat(error("{\"type\": \"grpc\", \"path\": \"/health\"}")).isEqualTo(at + "path: set on a GRPC check,"
                + " expected only on http checks; a grpc check takes the host and headers (got \"/health\")");
        assertThat(error("{\"type\": \"grpc\", \"service\": \"has space\"}"))
                .startsWith(at + "service: ").contains("up to 200 letters").endsWith("(got \"has space\")");
        assertThat(error("{\"type\": \"http\", \"service\": \"x.Y\"}"))
                .startsWith(at + "service: ").contains("only on grpc checks").endsWith("(got \"x.Y\")");
        assertThat(error("{\"type\": \"grpc\", \"trust\": \"system\"}"))
                .startsWith(at + "trust: only used with \"type\": \"https\" or \"grpcs\"");
        assertThat(error("{\"type\": \"grpc\", \"service\": 7}")).startsWith(at + "service: expected a string");
        assertThat(error("{\"type\": \"grpc2\"}")).startsWith(at + "type: expected one of").contains("grpcs");
    }
}
