package dev.switchboard.examples.gateway.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.examples.gateway.GatewayMain;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A reference gateway in a JVM of its own (classpath of the test's, {@code GatewayMain --config FILE}), started and
 * waited for until it prints {@code ready}; {@link #kill()} ends it with SIGKILL (on Linux). Reads its admin API.
 */
final class GatewayProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** What Hazelcast asks for (it warns without them); each child is a short-lived test JVM, so C1 is enough. */
    private static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private final String name;
    private final Process process;
    private final int adminPort;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();

    private GatewayProcess(String name, Process process, int adminPort) {
        this.name = name;
        this.process = process;
        this.adminPort = adminPort;
        pump(process.getInputStream(), stdout, name + "-out");
        pump(process.getErrorStream(), stderr, name + "-err");
    }

    /**
     * Starts a gateway on {@code config} (whose admin API listens on {@code adminPort}) and waits up to
     * {@code deadline} for {@code ready}.
     *
     * @throws AssertionError when it exits or stays silent meanwhile (its standard error in the message)
     */
    static GatewayProcess start(String name, Path config, int adminPort, Duration deadline) throws Exception {
        return start(name, config, adminPort, deadline, List.of());
    }

    /** {@link #start(String, Path, int, Duration)} with more JVM flags ({@code -Xlog:...}). */
    static GatewayProcess start(String name, Path config, int adminPort, Duration deadline, List<String> jvmFlags)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(JVM_FLAGS);
        command.addAll(jvmFlags);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.com.hazelcast=warn", "-Dorg.slf4j.simpleLogger.log.switchboard.access=warn",
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(), "--config",
                config.toString()));
        GatewayProcess gateway = new GatewayProcess(name, new ProcessBuilder(command).start(), adminPort);
        try {
            gateway.awaitReady(deadline);
        } catch (AssertionError | RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    /** The {@code java} launcher of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitReady(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            String line = stdout.poll(100, TimeUnit.MILLISECONDS);
            if ("ready".equals(line)) {
                return;
            }
            if (line == null && !process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before ready: " + stderr);
            }
        }
        throw new AssertionError(name + " not ready within " + deadline + ": " + stderr);
    }

    String name() {
        return name;
    }

    /** Everything the gateway wrote on standard error so far (its log). */
    List<String> log() {
        return List.copyOf(stderr);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL (on Linux): no shutdown hook, no goodbye to the peers, nothing flushed. Waits for the exit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " still alive 20 s after SIGKILL");
        }
    }

    /** SIGTERM: the gateway stops as an operator stops it. Waits for the exit and returns its code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " still alive 30 s after SIGTERM");
        }
        return process.exitValue();
    }

    /** {@code GET /api/stats} on the admin API. */
    JsonNode stats() {
        return adminCall(HttpRequest.newBuilder(admin("/api/stats")).GET());
    }

    /** {@code GET /api/stats?scope=cluster} on the admin API: the fleet's tree, summed over the live members. */
    JsonNode clusterStats() {
        return adminCall(HttpRequest.newBuilder(admin("/api/stats?scope=cluster")).GET());
    }

    /** {@code persistenceEntries} of virtual service {@code vs} in {@link #stats()}; -1 when it is not there. */
    long persistenceEntries(String vs) {
        return virtualService(stats(), vs).path("persistenceEntries").asLong(-1);
    }

    /** Virtual service {@code vs} of a stats document (local or cluster); a missing node when it is not there. */
    static JsonNode virtualService(JsonNode stats, String vs) {
        for (JsonNode v : stats.path("virtualServices")) {
            if (v.path("name").asText().equals(vs)) {
                return v;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /**
     * The admin {@code state} ({@code enabled}, {@code draining}, {@code disabled}) of {@code server} in
     * {@code vs}/{@code sub} as {@link #stats()} shows it; {@code absent} when it is not there.
     */
    String serverState(String vs, String sub, String server) {
        for (JsonNode v : stats().path("virtualServices")) {
            for (JsonNode s : v.path("subServices")) {
                for (JsonNode r : s.path("realServers")) {
                    if (v.path("name").asText().equals(vs) && s.path("name").asText().equals(sub)
                            && r.path("name").asText().equals(server)) {
                        return r.path("state").asText();
                    }
                }
            }
        }
        return "absent";
    }

    /** {@code PUT /api/real-servers/{server}/state} with {@code {"state": state}}: the admin answer's JSON. */
    JsonNode setState(String server, String state) {
        return adminCall(HttpRequest.newBuilder(admin("/api/real-servers/" + server + "/state"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"state\": \"" + state + "\"}")));
    }

    /**
     * {@code PUT /api/real-servers/{server}/state} with {@code {"state": state, "wait": wait}}, sent now: the admin
     * answer's JSON (with {@code httpStatus}) once it comes, within 30 s.
     */
    CompletableFuture<JsonNode> setStateLater(String server, String state, String wait) {
        HttpRequest request = HttpRequest.newBuilder(admin("/api/real-servers/" + server + "/state"))
                .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"state\": \"" + state + "\", \"wait\": \"" + wait + "\"}")).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            try {
                return ((ObjectNode) JSON.readTree(response.body())).put("httpStatus", response.statusCode());
            } catch (IOException e) {
                throw new UncheckedIOException(name + " admin API: not JSON: " + response.body(), e);
            }
        });
    }

    /** {@code POST /api/reload}: the status and the JSON answer. */
    JsonNode reload() {
        return adminCall(HttpRequest.newBuilder(admin("/api/reload")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    private JsonNode adminCall(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            return body.isObject() ? ((com.fasterxml.jackson.databind.node.ObjectNode) body)
                    .put("httpStatus", response.statusCode()) : body;
        } catch (IOException e) {
            throw new UncheckedIOException(name + " admin API", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Ends the process (SIGKILL) if it still runs; waits for it. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static void pump(InputStream in, Collection<String> sink, String thread) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    sink.add(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, thread);
        t.setDaemon(true);
        t.start();
    }
}
