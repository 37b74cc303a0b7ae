package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.SubService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sub-service's {@code outlierDetection}: on by default, {@code false} for off, an object to tune it. */
class OutlierDetectionReaderTest {

    @TempDir
    Path dir;

    private static final String FILE = """
            {"virtualServices": [{"name": "web", "listen": "127.0.0.1:8080", "protocol": "http",
              "subServices": [{"name": "pool", "default": true %s,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    private Optional<OutlierDetection> detection(String keys) {
        SubService pool = GatewayConfigReader.parse(FILE.formatted(keys), dir).loadBalancer().virtualServices().get(0)
                .subServices().get(0);
        return pool.findOutlierDetection();
    }

    @Test
    void absent_detectionOnWithDefaults() {
        assertThat(detection("")).contains(OutlierDetection.ofDefaults());
    }

    @Test
    void false_detectionOff() {
        assertThat(detection(", \"outlierDetection\": false")).isEmpty();
    }

    @Test
    void object_tunesTheDetection() {
        OutlierDetection d = detection(", \"outlierDetection\": {\"consecutiveFailures\": 3, "
                + "\"failureRatePercent\": 0, \"baseEjectionTime\": \"10s\", \"maxEjectionPercent\": 34}").orElseThrow();
        assertThat(d.consecutiveFailures()).isEqualTo(3);
        assertThat(d.failureRatePercent()).isZero();
        assertThat(d.baseEjectionTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.maxEjectionPercent()).isEqualTo(34);
    }

    @Test
    void badValues_reportedWithPathAndValue() {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class, () -> GatewayConfigReader.parse(
                FILE.formatted(", \"outlierDetection\": {\"consecutiveFailures\": 0, \"windowCalls\": 5, "
                        + "\"minimumCalls\": 9, \"ejectTime\": \"1s\"}"), dir));
        assertThat(e.errors())
                .anySatisfy(l -> assertThat(l).startsWith(
                        "virtualServices[0].subServices[0].outlierDetection.consecutiveFailures").endsWith("(got 0)"))
                .anySatisfy(l -> assertThat(l).startsWith(
                        "virtualServices[0].subServices[0].outlierDetection.minimumCalls").endsWith("(got 9)"))
                .anySatisfy(l -> assertThat(l).startsWith(
                        "virtualServices[0].subServices[0].outlierDetection.ejectTime: unknown key"));
    }
}
