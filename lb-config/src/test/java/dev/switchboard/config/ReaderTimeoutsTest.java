package dev.switchboard.config;

import dev.switchboard.netty.settings.Timeouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The slow-client keys of {@code timeouts}: {@code requestHead}, {@code requestBodyMinRate}, {@code requestBodyWindow}. */
class ReaderTimeoutsTest {

    @TempDir
    Path dir;

    /** {@code %1$s} adds keys at the top of the file, {@code %2$s} to the virtual service. */
    private static final String FILE = """
            {%1$s "virtualServices": [{"name": "web", "listen": "127.0.0.1:8080", "protocol": "http" %2$s,
              "subServices": [{"name": "pool", "default": true,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    private Timeouts timeouts(String top, String service) {
        return GatewayConfigReader.parse(FILE.formatted(top, service), dir).findListener("web").orElseThrow()
                .timeouts();
    }

    private List<String> errors(String service) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(FILE.formatted("", service), dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    @Test
    void absent_read_defaults() {
        Timeouts t = timeouts("", "");
        assertThat(t.requestHead()).isEqualTo(Duration.ofSeconds(10));
        assertThat(t.requestBodyMinRate()).isEqualTo(500);
        assertThat(t.requestBodyWindow()).isEqualTo(Duration.ofSeconds(20));
        assertThat(t.requestBodyMinBytesPerWindow()).isEqualTo(10_000);
        assertThat(t).isEqualTo(Timeouts.DEFAULTS);
    }

    @Test
    void given_read_topLevelThenOverriddenKeyByKey() {
        Timeouts t = timeouts("\"timeouts\": {\"requestHead\": \"5s\", \"requestBodyMinRate\": 2000},",
                ", \"timeouts\": {\"requestBodyWindow\": \"250ms\", \"requestHead\": \"PT1.5S\"}");
        assertThat(t.requestHead()).isEqualTo(Duration.ofMillis(1500));
        assertThat(t.requestBodyMinRate()).isEqualTo(2000);
        assertThat(t.requestBodyWindow()).isEqualTo(Duration.ofMillis(250));
        assertThat(t.requestBodyMinBytesPerWindow()).isEqualTo(500);
        assertThat(t.clientIdle()).isEqualTo(Timeouts.DEFAULTS.clientIdle());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "requestHead|\"-1s\"|bad duration: negative, expected ",
        "requestHead|\"0s\"|expected a duration above zero",
        "requestHead|\"soon\"|bad duration: no number, expected ",
        "requestHead|10|expected a string",
        "requestBodyWindow|\"0ms\"|expected a duration above zero",
        "requestBodyWindow|\"-5s\"|bad duration: negative, expected ",
        "requestBodyWindow|\"20 s\"|bad duration: unknown unit ' s', expected ",
        "requestBodyMinRate|0|expected an integer >= 1",
        "requestBodyMinRate|-500|expected an integer >= 1",
        "requestBodyMinRate|\"500\"|expected an integer >= 1",
        "requestBodyMinRate|1.5|expected an integer >= 1",
        "requestBodyMinRate|9999999999|expected an integer >= 1"})
    void badValue_read_oneErrorNamingThePathAndTheValue(String key, String value, String what) {
        assertThat(errors(", \"timeouts\": {\"" + key + "\": " + value + "}")).singleElement().asString()
                .startsWith("virtualServices[0].timeouts." + key + ": " + what)
                .endsWith("(got " + value + ")");
    }

    @Test
    void unknownKey_read_named() {
        assertThat(errors(", \"timeouts\": {\"requestBody\": \"10s\"}")).containsExactly(
                "virtualServices[0].timeouts.requestBody: unknown key (got \"10s\")");
    }

    @Test
    void timeoutsRecord_nonPositiveRequestLimits_refusedNamingTheField() {
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new Timeouts(s, s, s, s, s, Duration.ZERO, 500, s))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("requestHead: PT0S (expected: > 0)");
        assertThatThrownBy(() -> new Timeouts(s, s, s, s, s, s, 0, s))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("requestBodyMinRate: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new Timeouts(s, s, s, s, s, s, 500, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requestBodyWindow: PT-0.001S (expected: > 0)");
    }

    @Test
    void minBytesPerWindow_longWindow_saturatesInsteadOfOverflowing() {
        Duration s = Duration.ofSeconds(1);
        Timeouts t = new Timeouts(s, s, s, s, s, s, Integer.MAX_VALUE, Duration.ofSeconds(Long.MAX_VALUE / 2));
        assertThat(t.requestBodyMinBytesPerWindow()).isEqualTo(Long.MAX_VALUE);
        assertThat(new Timeouts(s, s, s, s, s, s, 1, Duration.ofMillis(10)).requestBodyMinBytesPerWindow())
                .isEqualTo(1);
    }
}
