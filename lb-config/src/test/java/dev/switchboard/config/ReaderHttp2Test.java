package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.netty.settings.Http2Limits;
import dev.switchboard.netty.settings.ListenerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A virtual service's {@code http2} object: h2c with prior knowledge on http, and the HTTP/2 limits. */
class ReaderHttp2Test {

    /** One virtual service; {@code %1$s} its protocol, {@code %2$s} its http2 object. */
    private static final String SERVICE = """
            {"virtualServices": [{"name": "api", "listen": "127.0.0.1:8080", "protocol": "%1$s", "http2": %2$s,
              "subServices": [{"name": "pool", "default": true,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    @TempDir
    Path dir;

    private List<String> errors(String json) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(json, dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    @Test
    void http2_cleartextAndLimits_reachTheListener() {
        ListenerSettings l = GatewayConfigReader.parse(SERVICE.formatted("http", """
                {"cleartext": true, "maxConcurrentStreams": 50, "maxHeaderListSize": 8192, "maxFrameSize": 32768,
                 "initialWindowSize": 131072, "maxResets": 100, "resetWindow": "10s", "maxControlFrames": 200,
                 "controlFrameWindow": "1s", "maxQueuedControlFrames": 500}"""), dir).listeners().get(0);

        assertThat(l.http2Cleartext()).isTrue();
        assertThat(l.offersHttp2()).isTrue();
        assertThat(l.http2Limits()).isEqualTo(new Http2Limits(50, 8192, 32768, 131072, 100, Duration.ofSeconds(10),
                200, Duration.ofSeconds(1), 500));
    }

    @Test
    void http2_absent_isHttp11OnlyInCleartext_withDefaultLimits() {
        ListenerSettings l = GatewayConfigReader.parse(SERVICE.formatted("http", "{}"), dir).listeners().get(0);
        assertThat(l.http2Cleartext()).isFalse();
        assertThat(l.offersHttp2()).isFalse();
        assertThat(l.http2Limits()).isEqualTo(Http2Limits.DEFAULTS);
    }

    @Test
    void http2_badValues_refusedNamingPathAndValue() {
        assertThat(errors(SERVICE.formatted("http", """
                {"cleartext": "yes", "maxConcurrentStreams": 0, "maxFrameSize": 1024, "resetWindow": "100ms",
                 "burst": 3}""")))
                .contains("virtualServices[0].http2.cleartext: expected true or false (got \"yes\")",
                        "virtualServices[0].http2.maxConcurrentStreams: expected an integer >= 1 (got 0)",
                        "virtualServices[0].http2.maxFrameSize: expected an integer 16384..16777215 (got 1024)",
                        "virtualServices[0].http2.resetWindow: expected a duration of at least 1000ms (got \"100ms\")")
                .anyMatch(line -> line.startsWith("virtualServices[0].http2.burst: "));
    }

    @Test
    void http2_cleartextOnHttpsOrAnyOnTcp_refused() {
        assertThat(errors(SERVICE.formatted("tcp", "{\"cleartext\": true}"))).contains(
                "virtualServices[0].http2: only used with \"protocol\": \"http\" or \"https\" (tcp relays bytes as"
                        + " they are) (got {\"cleartext\":true})");
    }
}
