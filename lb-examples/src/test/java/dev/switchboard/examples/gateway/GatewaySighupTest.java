package dev.switchboard.examples.gateway;

import dev.switchboard.examples.testing.LoopbackPorts;
import dev.switchboard.api.testing.Eventually;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP to the gateway process: the file is read again and applied; a bad file is logged and changes nothing. */
class GatewaySighupTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    private static String config(int port, String address) {
        return """
                { "virtualServices": [ { "name": "app", "listen": "127.0.0.1:%d", "protocol": "http",
                    "accessLog": false,
                    "subServices": [ { "name": "pool", "default": true,
                      "realServers": [ { "name": "b1", "address": "%s" } ] } ] } ] }
                """.formatted(port, address);
    }


    /** Copies each line of {@code in} to {@code sink} on a daemon thread, until the stream ends. */
    private static void pump(InputStream in, java.util.Collection<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "gateway-output");
        t.setDaemon(true);
        t.start();
    }

    private String servedBy(int port) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/x")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return response.headers().firstValue("X-Served-By").orElse("status " + response.statusCode());
    }

    private static void hangUp(Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }


    @Test
    void sighup_changedRealServer_appliedWithoutRestart_badFileLoggedAndIgnored_sigtermExitsZero() throws Exception {
        assumeThat(System.getProperty("os.name")).doesNotStartWithIgnoringCase("windows");
        try (TestFleet fleet = new TestFleet("ex01", "ex02")) {
            int port = LoopbackPorts.pick();
            Path file = Files.writeString(dir.resolve("gateway.json"), config(port, fleet.address("ex01")));
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", // the tests' default is warn
                    "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(), "--config",
                    file.toString()).start();
            try {
                BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
                List<String> stderr = new CopyOnWriteArrayList<>();
                pump(process.getInputStream(), stdout);
                pump(process.getErrorStream(), stderr);
                assertThat(stdout.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("stderr: %s", stderr)
                        .isEqualTo("ready");
                assertThat(servedBy(port)).isEqualTo("ex01");

                Files.writeString(file, config(port, fleet.address("ex02")));
                hangUp(process);
                Eventually.until("ex02 to serve", Duration.ofSeconds(10),
                        () -> call(() -> servedBy(port)).equals("ex02"));
                Eventually.until("the reload to be logged", Duration.ofSeconds(10), () -> stderr.stream()
                        .anyMatch(l -> l.contains("SIGHUP: configuration reloaded")));

                Files.writeString(file, "{ \"virtualServices\": [ { \"name\": 5 } ] }");
                hangUp(process);
                // the warning's own lines (the configuration-error event, on switchboard.events, names the field too)
                Eventually.until("the refusal to be logged", Duration.ofSeconds(10), () -> stderr.stream()
                        .anyMatch(l -> l.startsWith("virtualServices[0].name")));
                assertThat(stderr).anyMatch(l -> l.contains("SIGHUP: configuration not reloaded"));
                assertThat(process.isAlive()).isTrue();
                assertThat(servedBy(port)).isEqualTo("ex02");

                process.destroy(); // SIGTERM
                assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).isZero();
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private interface Call<T> {
        T get() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
