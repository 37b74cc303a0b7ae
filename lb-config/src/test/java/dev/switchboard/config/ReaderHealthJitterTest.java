package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.SubService;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code healthCheck.jitter}: a fraction 0..0.5 or a percentage "0%".."50%"; 10 % when absent. */
class ReaderHealthJitterTest {

    /** One sub-service with an http check; {@code %s} adds keys to the check. */
    private static final String CHECKED = """
            {"virtualServices": [{"name": "web", "listen": "127.0.0.1:8080", "protocol": "http",
              "subServices": [{"name": "pool", "default": true,
                               "healthCheck": {"type": "http", "path": "/ping" %s},
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    @TempDir
    Path dir;

    private HealthCheck check(String keys) {
        return checked(GatewayConfigReader.parse(CHECKED.formatted(keys), dir)).get(0).findHealthCheck().orElseThrow();
    }

    private String error(String keys) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(CHECKED.formatted(keys), dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    @Test
    void jitter_absent_tenPercent() {
        assertThat(check("").jitter()).isEqualTo(0.1);
    }

    @Test
    void jitter_fractionOrPercentage_read() {
        assertThat(check(", \"jitter\": 0").jitter()).isZero();
        assertThat(check(", \"jitter\": 0.25").jitter()).isEqualTo(0.25);
        assertThat(check(", \"jitter\": \"50%\"").jitter()).isEqualTo(0.5);
        assertThat(check(", \"jitter\": \"2.5%\"").jitter()).isEqualTo(0.025);
    }

    @Test
    void jitter_outOfRangeOrMalformed_refusedNamingPathAndValue() {
        String expected = "expected a fraction of the interval 0..0.5, or a percentage \"0%\"..\"50%\"";
        assertThat(error(", \"jitter\": 0.6")).isEqualTo(
                "virtualServices[0].subServices[0].healthCheck.jitter: " + expected + " (got 0.6)");
        assertThat(error(", \"jitter\": \"60%\"")).isEqualTo(
                "virtualServices[0].subServices[0].healthCheck.jitter: " + expected + " (got \"60%\")");
        assertThat(error(", \"jitter\": -0.1")).endsWith("(got -0.1)");
        assertThat(error(", \"jitter\": \"ten\"")).endsWith("(got \"ten\")");
        assertThat(error(", \"jitter\": true")).endsWith("(got true)");
    }

    /** The sub-services of the model that have a health check, in model order. */
    private static List<SubService> checked(GatewayConfig config) {
        return config.loadBalancer().virtualServices().stream().flatMap(v -> v.subServices().stream())
                .filter(s -> s.findHealthCheck().isPresent()).toList();
    }
}
