package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.SubService;
import dev.switchboard.api.UpstreamProtocol;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upstreamProtocol} on sub-services: {@code http/1.1} (the default) or {@code h2}. */
class ReaderUpstreamProtocolTest {

    @TempDir
    Path dir;

    /** {@code %1$s} is the protocol, {@code %2$s} adds keys to the sub-service. */
    private static final String FILE = """
            {"virtualServices": [{"name": "edge", "listen": "127.0.0.1:8080", "protocol": "%1$s",
              "subServices": [{"name": "grpc", "default": true %2$s,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    private SubService read(String sub) {
        return GatewayConfigReader.parse(FILE.formatted("http", sub), dir).loadBalancer().virtualServices().get(0)
                .subServices().get(0);
    }

    private List<String> errors(String protocol, String sub) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(FILE.formatted(protocol, sub), dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    @Test
    void h2_read_onTheSubService() {
        assertThat(read(", \"upstreamProtocol\": \"h2\"").upstreamProtocol()).isEqualTo(UpstreamProtocol.H2);
        assertThat(read(", \"upstreamProtocol\": \"http/1.1\"").upstreamProtocol())
                .isEqualTo(UpstreamProtocol.HTTP_1_1);
    }

    @Test
    void absent_read_http11() {
        assertThat(read("").upstreamProtocol()).isEqualTo(UpstreamProtocol.HTTP_1_1);
    }

    @Test
    void unknownValue_read_errorNamesFieldAndValue() {
        assertThat(errors("http", ", \"upstreamProtocol\": \"h3\"")).containsExactly(
                "virtualServices[0].subServices[0].upstreamProtocol: expected one of http/1.1, h2 (got \"h3\")");
        assertThat(errors("http", ", \"upstreamProtocol\": 2")).containsExactly(
                "virtualServices[0].subServices[0].upstreamProtocol: expected a string (got 2)");
    }

    @Test
    void h2WithProxyProtocol_read_refused() {
        assertThat(errors("http", ", \"upstreamProtocol\": \"h2\", \"proxyProtocol\": \"v2\"")).singleElement()
                .asString().startsWith("virtualServices[0].subServices[0].proxyProtocol: v2 with upstreamProtocol h2");
    }

    @Test
    void h2OnTcp_read_refused() {
        assertThat(errors("tcp", ", \"upstreamProtocol\": \"h2\"")).singleElement().asString()
                .startsWith("virtualServices[0].subServices[0].upstreamProtocol: h2 on a tcp virtual service");
    }
}
