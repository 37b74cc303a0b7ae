package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.tls.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code applicationProtocols} (ALPN) offers only what the gateway speaks: {@code h2} and {@code http/1.1} to clients
 * (both by default), {@code http/1.1} to real servers.
 */
class ReaderApplicationProtocolsTest {

    /** One https virtual service; {@code %1$s} is its tls ALPN list, {@code %2$s} its upstream ALPN list. */
    private static final String HTTPS_SERVICE = """
            {"virtualServices": [{"name": "web", "listen": "127.0.0.1:8443", "protocol": "https",
              "tls": {"certificate": "web.pem", "privateKey": "web.key", "applicationProtocols": %1$s},
              "upstreamTls": {"trust": "system", "applicationProtocols": %2$s},
              "subServices": [{"name": "pool", "default": true,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void certificate() {
        TestPki.selfSigned("web.example.test").writeCertificateAndKey(dir.resolve("web.pem"), dir.resolve("web.key"));
    }

    private List<String> errors(String json) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(json, dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    @Test
    void applicationProtocols_unknownOrTwice_refusedNamingPathAndValue() {
        assertThat(errors(HTTPS_SERVICE.formatted("[\"h2\", \"h3\", \"h2\"]", "[\"http/1.1\", \"h2\"]")))
                .containsExactly(
                        "virtualServices[0].tls.applicationProtocols[1]: expected \"h2\" or \"http/1.1\" (the"
                                + " protocols the gateway speaks to clients) (got \"h3\")",
                        "virtualServices[0].tls.applicationProtocols[2]: listed twice (got \"h2\")",
                        "virtualServices[0].upstreamTls.applicationProtocols[1]: expected \"http/1.1\": the gateway"
                                + " speaks only HTTP/1.1 to real servers (got \"h2\")");
    }

    @Test
    void applicationProtocols_h2AndHttp11_accepted() {
        GatewayConfig config = GatewayConfigReader.parse(HTTPS_SERVICE.formatted("[\"h2\", \"http/1.1\"]",
                "[\"http/1.1\"]"), dir);
        assertThat(config.listeners().get(0).findTls().orElseThrow().applicationProtocols())
                .containsExactly("h2", "http/1.1");
        assertThat(config.listeners().get(0).offersHttp2()).isTrue();
    }

    @Test
    void applicationProtocols_absent_offersH2ThenHttp11() {
        String json = HTTPS_SERVICE.formatted("[]", "[]").replace(", \"applicationProtocols\": []", "");
        GatewayConfig config = GatewayConfigReader.parse(json, dir);
        assertThat(config.listeners().get(0).findTls().orElseThrow().applicationProtocols())
                .containsExactly("h2", "http/1.1");
    }

    @Test
    void applicationProtocols_http11Only_accepted() {
        GatewayConfig config = GatewayConfigReader.parse(HTTPS_SERVICE.formatted("[\"http/1.1\"]", "[\"http/1.1\"]"),
                dir);
        assertThat(config.listeners().get(0).findTls().orElseThrow().applicationProtocols())
                .containsExactly("http/1.1");
        assertThat(config.listeners().get(0).offersHttp2()).isFalse();
        assertThat(config.listeners().get(0).findUpstreamTls().orElseThrow().applicationProtocols())
                .containsExactly("http/1.1");
    }

    @Test
    void check_upstreamH2_exitsTwoWithTheLine() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.json"), HTTPS_SERVICE.formatted("[\"h2\"]", "[\"h2\"]"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ConfigCheck.check(file, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(out.size()).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "virtualServices[0].upstreamTls.applicationProtocols[0]: expected \"http/1.1\": the gateway speaks"
                        + " only HTTP/1.1 to real servers (got \"h2\")");
    }
}
