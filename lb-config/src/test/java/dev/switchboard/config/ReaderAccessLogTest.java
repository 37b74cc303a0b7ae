package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.netty.settings.AccessLogFormat;
import dev.switchboard.netty.settings.ListenerSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accessLog}: {@code true}, {@code false} or {@code {"enabled": ..., "format": "text" | "json"}}. */
class ReaderAccessLogTest {

    @TempDir
    Path dir;

    /** {@code %1$s} adds keys at the top of the file, {@code %2$s} to the first virtual service. */
    private static final String FILE = """
            {%1$s "virtualServices": [
              {"name": "web", "listen": "127.0.0.1:8080", "protocol": "http" %2$s,
               "subServices": [{"name": "pool", "default": true,
                                "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]},
              {"name": "api", "listen": "127.0.0.1:8081", "protocol": "http",
               "subServices": [{"name": "pool", "default": true,
                                "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    private GatewayConfig read(String top, String service) {
        return GatewayConfigReader.parse(FILE.formatted(top, service), dir);
    }

    private static ListenerSettings listener(GatewayConfig c, String name) {
        return c.findListener(name).orElseThrow();
    }

    private List<String> errors(String top, String service) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class, () -> read(top, service));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    @Test
    void absent_textOn() {
        ListenerSettings web = listener(read("", ""), "web");
        assertThat(web.accessLog()).isTrue();
        assertThat(web.accessLogFormat()).isEqualTo(AccessLogFormat.TEXT);
    }

    @Test
    void formatJsonAtTheTop_isInherited_andABooleanOnAServiceKeepsIt() {
        GatewayConfig c = read("\"accessLog\": {\"format\": \"json\"},", ", \"accessLog\": false");
        assertThat(listener(c, "api").accessLog()).isTrue();
        assertThat(listener(c, "api").accessLogFormat()).isEqualTo(AccessLogFormat.JSON);
        assertThat(listener(c, "web").accessLog()).isFalse();
        assertThat(listener(c, "web").accessLogFormat()).isEqualTo(AccessLogFormat.JSON);
    }

    @Test
    void objectOnAService_overridesTheTop() {
        GatewayConfig c = read("\"accessLog\": false,", ", \"accessLog\": {\"format\": \"json\"}");
        assertThat(listener(c, "web").accessLog()).isTrue();
        assertThat(listener(c, "web").accessLogFormat()).isEqualTo(AccessLogFormat.JSON);
        assertThat(listener(c, "api").accessLog()).isFalse();
        GatewayConfig off = read("", ", \"accessLog\": {\"enabled\": false, \"format\": \"text\"}");
        assertThat(listener(off, "web").accessLog()).isFalse();
    }

    @Test
    void badFormat_oneErrorNamingThePathAndTheValue() {
        assertThat(errors("", ", \"accessLog\": {\"format\": \"xml\"}")).containsExactly(
                "virtualServices[0].accessLog.format: expected one of text, json (got \"xml\")");
        assertThat(errors("\"accessLog\": {\"format\": \"JSON\"},", "")).containsExactly(
                "accessLog.format: expected one of text, json (got \"JSON\")");
    }

    @Test
    void badShapeOrKey_namedWithThePath() {
        assertThat(errors("", ", \"accessLog\": \"json\"")).singleElement().asString()
                .startsWith("virtualServices[0].accessLog: expected true, false or an object")
                .endsWith("(got \"json\")");
        assertThat(errors("", ", \"accessLog\": {\"fromat\": \"json\"}")).singleElement().asString()
                .startsWith("virtualServices[0].accessLog.fromat: unknown key");
        assertThat(errors("", ", \"accessLog\": {\"enabled\": \"yes\"}")).singleElement().asString()
                .startsWith("virtualServices[0].accessLog.enabled: expected true or false");
    }
}
