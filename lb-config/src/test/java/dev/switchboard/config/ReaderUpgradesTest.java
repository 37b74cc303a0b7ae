package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.netty.settings.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upgrades} on a virtual service and {@code timeouts.tunnelIdle}. */
class ReaderUpgradesTest {

    @TempDir
    Path dir;

    /** {@code %1$s} is the protocol, {@code %2$s} adds keys to the virtual service. */
    private static final String FILE = """
            {"virtualServices": [{"name": "web", "listen": "127.0.0.1:8080", "protocol": "%1$s" %2$s,
              "subServices": [{"name": "pool", "default": true,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    private GatewayConfig read(String keys) {
        return GatewayConfigReader.parse(FILE.formatted("http", keys), dir);
    }

    private List<String> errors(String protocol, String keys) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(FILE.formatted(protocol, keys), dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    @Test
    void absent_readsWebSocketOnly_andAnHourOfTunnelIdle() {
        GatewayConfig c = read("");
        assertThat(c.loadBalancer().virtualServices().get(0).upgrades()).containsExactly("websocket");
        assertThat(c.findListener("web").orElseThrow().timeouts().tunnelIdle()).isEqualTo(Duration.ofHours(1))
                .isEqualTo(Timeouts.DEFAULT_TUNNEL_IDLE);
    }

    @Test
    void given_readsTheListAndTheTimeout() {
        GatewayConfig c = read(", \"upgrades\": [\"websocket\", \"echo\"], \"timeouts\": {\"tunnelIdle\": \"45m\"}");
        assertThat(c.loadBalancer().virtualServices().get(0).upgrades()).containsExactly("websocket", "echo");
        assertThat(c.findListener("web").orElseThrow().timeouts().tunnelIdle()).isEqualTo(Duration.ofMinutes(45));
        assertThat(read(", \"upgrades\": []").loadBalancer().virtualServices().get(0).upgrades()).isEmpty();
    }

    @Test
    void h2c_isRefused_namingThePathAndTheValue() {
        assertThat(errors("http", ", \"upgrades\": [\"websocket\", \"h2c\"]")).containsExactly(
                "virtualServices[0].upgrades[1]: expected not h2c, which is never tunnelled: a tunnel to a server"
                        + " that speaks h2c would carry requests past every rule (got \"h2c\")");
    }

    @Test
    void badValues_areRefused_eachWithItsPath() {
        assertThat(errors("http", ", \"upgrades\": [\"web socket\", \"websocket\", \"WEBSOCKET\"]"))
                .hasSize(2)
                .anySatisfy(e -> assertThat(e).startsWith("virtualServices[0].upgrades[0]: expected a protocol name")
                        .endsWith("(got \"web socket\")"))
                .anySatisfy(e -> assertThat(e)
                        .startsWith("virtualServices[0].upgrades[2]: 'WEBSOCKET' is listed twice"));
        assertThat(errors("http", ", \"upgrades\": [\"websocket\", 7]")).containsExactly(
                "virtualServices[0].upgrades[1]: expected a protocol name as a string (got 7)");
        assertThat(errors("http", ", \"upgrades\": \"websocket\"")).singleElement().asString()
                .startsWith("virtualServices[0].upgrades: expected an array");
        assertThat(errors("tcp", ", \"upgrades\": [\"websocket\"]")).singleElement().asString()
                .startsWith("virtualServices[0].upgrades: only used with \"protocol\": \"http\" or \"https\"");
        assertThat(errors("http", ", \"timeouts\": {\"tunnelIdle\": \"0s\"}")).containsExactly(
                "virtualServices[0].timeouts.tunnelIdle: expected a duration above zero (got \"0s\")");
    }
}
