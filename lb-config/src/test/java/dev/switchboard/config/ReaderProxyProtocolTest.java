package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code proxyProtocol} on sub-services and real servers, {@code acceptProxyProtocol} on virtual services. */
class ReaderProxyProtocolTest {

    @TempDir
    Path dir;

    /** {@code %1$s} adds keys to the virtual service, {@code %2$s} to the sub-service, {@code %3$s} to server b. */
    private static final String FILE = """
            {"virtualServices": [{"name": "edge", "listen": "127.0.0.1:8080", "protocol": "http" %1$s,
              "subServices": [{"name": "pool", "default": true %2$s,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"},
                                               {"name": "b", "address": "127.0.0.1:9002" %3$s}]}]}]}
            """;

    private GatewayConfig read(String vs, String sub, String server) {
        return GatewayConfigReader.parse(FILE.formatted(vs, sub, server), dir);
    }

    private List<String> errors(String vs, String sub, String server) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class, () -> read(vs, sub, server));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    @Test
    void proxyProtocolOnSubServiceAndServer_read_serverWins() {
        GatewayConfig config = read("", ", \"proxyProtocol\": \"v2\"", ", \"proxyProtocol\": \"v1\"");
        SubService pool = config.loadBalancer().virtualServices().get(0).subServices().get(0);
        assertThat(pool.proxyProtocol()).isEqualTo(ProxyProtocol.V2);
        assertThat(pool.realServers().get(0).findProxyProtocol()).isEmpty();
        assertThat(pool.realServers().get(1).findProxyProtocol()).contains(ProxyProtocol.V1);
    }

    @Test
    void noProxyProtocol_read_none() {
        SubService pool = read("", "", "").loadBalancer().virtualServices().get(0).subServices().get(0);
        assertThat(pool.proxyProtocol()).isEqualTo(ProxyProtocol.NONE);
        assertThat(read("", "", "").findListener("edge").orElseThrow().acceptProxyProtocol()).isFalse();
    }

    @Test
    void badVersions_read_errorsNameThePathAndValue() {
        assertThat(errors("", ", \"proxyProtocol\": \"v3\"", ", \"proxyProtocol\": 2")).containsExactlyInAnyOrder(
                "virtualServices[0].subServices[0].proxyProtocol: expected one of none, v1, v2 (got \"v3\")",
                "virtualServices[0].subServices[0].realServers[1].proxyProtocol: expected a string (got 2)");
    }

    @Test
    void acceptProxyProtocolWithTrustedProxies_read_onTheModelAndTheListener() {
        GatewayConfig config = read(", \"acceptProxyProtocol\": true, \"trustedProxies\": [\"10.0.0.0/8\"]", "", "");
        VirtualService vs = config.loadBalancer().virtualServices().get(0);
        assertThat(vs.acceptProxyProtocol()).isTrue();
        assertThat(config.findListener("edge").orElseThrow().acceptProxyProtocol()).isTrue();
    }

    @Test
    void acceptProxyProtocolWithTopLevelTrustedProxies_read_accepted() {
        String json = "{\"trustedProxies\": [\"192.0.2.0/24\"], " + FILE.formatted(", \"acceptProxyProtocol\": true",
                "", "").substring(1);
        GatewayConfig config = GatewayConfigReader.parse(json, dir);
        assertThat(config.findListener("edge").orElseThrow().acceptProxyProtocol()).isTrue();
    }

    @Test
    void acceptProxyProtocolWithoutTrustedProxies_read_refused() {
        assertThat(errors(", \"acceptProxyProtocol\": true", "", "")).containsExactly(
                "virtualServices[0].acceptProxyProtocol: needs trustedProxies (expected: the proxies allowed to send"
                        + " the PROXY header, in trustedProxies here or at the top) (got true)");
    }

    @Test
    void acceptProxyProtocolNotABoolean_read_refused() {
        assertThat(errors(", \"acceptProxyProtocol\": \"yes\", \"trustedProxies\": [\"10.0.0.0/8\"]", "", ""))
                .containsExactly("virtualServices[0].acceptProxyProtocol: expected true or false (got \"yes\")");
    }
}
