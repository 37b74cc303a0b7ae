package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.testing.LoopbackPorts;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of the contract: --check, the error format, {@code ready}, SIGTERM. */
class GatewayMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GatewayMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path file(String json) throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, json);
        return file;
    }

    private static String config(int port, String backend, String weight) {
        return """
                { "virtualServices": [ { "name": "app", "listen": "127.0.0.1:%d", "protocol": "http",
                    "subServices": [ { "name": "pool", "default": true,
                      "realServers": [ { "name": "b1", "address": "%s", "weight": %s } ] } ] } ] }
                """.formatted(port, backend, weight);
    }

    @Test
    void check_validFile_exitsZero() throws Exception {
        assertThat(run("--config", file(config(8080, "127.0.0.1:9001", "1")).toString(), "--check")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void check_invalidFile_exitsTwo_withEveryErrorAsPathAndValue() throws Exception {
        int code = run("--config", file(config(8080, "nowhere", "-1")).toString(), "--check");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .anySatisfy(l -> assertThat(l).startsWith("virtualServices[0].subServices[0].realServers[0].address")
                        .contains("(got"))
                .anySatisfy(l -> assertThat(l).startsWith("virtualServices[0].subServices[0].realServers[0].weight")
                        .contains("-1"));
    }

    @Test
    void startWithInvalidFile_exitsTwo() throws Exception {
        assertThat(run("--config", file("{ \"virtualServices\": 7 }").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("virtualServices");
    }

    @Test
    void unknownArgument_exitsTwo_withUsage() {
        assertThat(run("--confgi", "x.json")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--confgi: unknown argument").contains("usage:");
    }

    @Test
    void demoBackendsWithoutConfig_exitsTwo_namingTheFlag() {
        assertThat(run("--demo-backends")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("--demo-backends: needs --config FILE");
    }

    @Test
    void gatewayProcess_printsReady_serves_andExitsZeroOnSigterm() throws Exception {
        try (TestFleet fleet = new TestFleet("b1")) {
            int port = LoopbackPorts.pick();
            Path file = file(config(port, fleet.address("b1"), "1"));
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(), "--config",
                    file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertThat(stdout.readLine()).isEqualTo("ready");
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/hello")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.body()).startsWith("host=b1 path=/hello");
                process.destroy();
                assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).isZero();
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
