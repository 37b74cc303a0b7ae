package dev.switchboard.config;

import dev.switchboard.netty.settings.Limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code limits.maxConnections} and {@code limits.maxConnectionsPerClient}: defaults, inheritance, errors. */
class ReaderConnectionLimitsTest {

    @TempDir
    Path dir;

    /** {@code %1$s}: keys at the top; {@code %2$s}, {@code %3$s}: keys on the http and the tcp virtual service. */
    private static final String FILE = """
            {%1$s "virtualServices": [
              {"name": "web", "listen": "127.0.0.1:8080", "protocol": "http" %2$s,
               "subServices": [{"name": "pool", "default": true,
                                "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]},
              {"name": "imap", "listen": "127.0.0.1:8993", "protocol": "tcp" %3$s,
               "subServices": [{"name": "pool", "default": true,
                                "realServers": [{"name": "a", "address": "127.0.0.1:9931"}]}]}]}
            """;

    private GatewayConfig read(String top, String web, String imap) {
        return GatewayConfigReader.parse(FILE.formatted(top, web, imap), dir);
    }

    private List<String> errors(String top, String web, String imap) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class, () -> read(top, web, imap));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    private static Limits limits(GatewayConfig config, String name) {
        return config.findListener(name).orElseThrow().limits();
    }

    @Test
    void noLimitsKey_read_unlimited() {
        GatewayConfig config = read("", "", "");
        assertThat(limits(config, "web").maxConnections()).isZero();
        assertThat(limits(config, "web").maxConnectionsPerClient()).isZero();
        assertThat(limits(config, "imap")).isEqualTo(Limits.DEFAULTS);
    }

    @Test
    void topLevelLimits_read_inheritedKeyByKeyAndOverridden() {
        GatewayConfig config = read("\"limits\": {\"maxConnections\": 1000, \"maxConnectionsPerClient\": 20},",
                ", \"limits\": {\"maxConnectionsPerClient\": 5}", "");
        assertThat(limits(config, "web")).isEqualTo(Limits.DEFAULTS.withConnectionLimits(1000, 5));
        assertThat(limits(config, "imap")).isEqualTo(Limits.DEFAULTS.withConnectionLimits(1000, 20));
    }

    @Test
    void zeroOnVirtualService_read_liftsTheTopLevelLimit() {
        GatewayConfig config = read("\"limits\": {\"maxConnections\": 1000},", "",
                ", \"limits\": {\"maxConnections\": 0}");
        assertThat(limits(config, "web").maxConnections()).isEqualTo(1000);
        assertThat(limits(config, "imap").maxConnections()).isZero();
    }

    @Test
    void negativeOrNotAnInteger_read_refusedNamingPathAndValue() {
        assertThat(errors("\"limits\": {\"maxConnections\": -1},",
                ", \"limits\": {\"maxConnectionsPerClient\": \"ten\"}",
                ", \"limits\": {\"maxConnectionsPerClient\": 2.5}")).containsExactlyInAnyOrder(
                "limits.maxConnections: expected an integer >= 0 (got -1)",
                "virtualServices[0].limits.maxConnectionsPerClient: expected an integer >= 0 (got \"ten\")",
                "virtualServices[1].limits.maxConnectionsPerClient: expected an integer >= 0 (got 2.5)");
    }

    @Test
    void misspeltKey_read_refused() {
        assertThat(errors("", ", \"limits\": {\"maxConnection\": 10}", "")).singleElement().asString()
                .startsWith("virtualServices[0].limits.maxConnection: ");
    }

    @Test
    void negativeInCode_limits_throwsNamingTheField() {
        assertThatThrownBy(() -> Limits.DEFAULTS.withConnectionLimits(-2, 0))
                .hasMessage("maxConnections: -2 (expected: >= 0)");
        assertThatThrownBy(() -> Limits.DEFAULTS.withConnectionLimits(0, -3))
                .hasMessage("maxConnectionsPerClient: -3 (expected: >= 0)");
    }
}
