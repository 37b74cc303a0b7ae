package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.GatewayConfigReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/reload} and the live state of servers that keep their names: a {@code state} edited in the file
 * is applied, one left as it was keeps what the admin API set, and a refused file changes nothing.
 */
class GatewayReloadStateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final TestFleet fleet = new TestFleet("ex01", "ex02", "ex03");
    private Path file;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("gateway.json");
        Files.writeString(file, config("", "", "^Mozilla"));
        gateway = Gateway.start(GatewayConfigReader.read(file), file);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        fleet.close();
    }

    /**
     * Three servers in "pool"; {@code ex01Extra} and {@code ex02Extra} are more keys of ex01 and ex02 (say
     * {@code , "state": "draining"}); {@code uaRegex} is the header regex of a second sub-service.
     */
    private String config(String ex01Extra, String ex02Extra, String uaRegex) {
        return """
                { "admin": { "listen": "127.0.0.1:0" },
                  "virtualServices": [ { "name": "app", "listen": "127.0.0.1:0", "protocol": "http",
                    "scheduling": "round-robin", "accessLog": false,
                    "subServices": [
                      { "name": "pool", "default": true, "realServers": [
                        { "name": "ex01", "address": "%s"%s },
                        { "name": "ex02", "address": "%s"%s },
                        { "name": "ex03", "address": "%s" } ] },
                      { "name": "ua", "match": [ { "on": "header", "header": "User-Agent", "type": "regex",
                                                   "value": "%s" } ],
                        "realServers": [ { "name": "ex03", "address": "%s" } ] } ] } ] }
                """.formatted(fleet.address("ex01"), ex01Extra, fleet.address("ex02"), ex02Extra,
                fleet.address("ex03"), uaRegex.replace("\\", "\\\\"), fleet.address("ex03"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Set<String> servedBy(int requests) throws Exception {
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(
                    URI.create("http://" + Gateway.hostPort(gateway.address("app")) + "/x")));
            assertThat(r.statusCode()).isEqualTo(200);
            hosts.add(r.headers().firstValue("X-Served-By").orElseThrow());
        }
        return hosts;
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://"
                + Gateway.hostPort(gateway.findAdminAddress().orElseThrow()) + path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> reload(String config) throws Exception {
        Files.writeString(file, config);
        return admin("POST", "/api/reload", "");
    }

    private JsonNode stats() throws Exception {
        return JSON.readTree(admin("GET", "/api/stats", "").body());
    }

    private String state(String server) throws Exception {
        for (JsonNode s : stats().path("virtualServices").get(0).path("subServices").get(0).path("realServers")) {
            if (s.path("name").asText().equals(server)) {
                return s.path("state").asText();
            }
        }
        throw new AssertionError(server + " not in the stats");
    }

    @Test
    void reload_stateEditedInFile_isApplied_andAStateSetThroughTheApiIsKeptWhenTheFileLeavesItAlone()
            throws Exception {
        assertThat(admin("PUT", "/api/real-servers/ex02/state", "{\"state\": \"disabled\"}").statusCode())
                .isEqualTo(200);

        assertThat(reload(config(", \"state\": \"draining\"", "", "^Mozilla")).statusCode()).isEqualTo(200);
        assertThat(state("ex01")).isEqualTo("draining");
        assertThat(state("ex02")).as("the file did not change its state").isEqualTo("disabled");
        assertThat(servedBy(6)).containsExactly("ex03");

        assertThat(reload(config(", \"state\": \"enabled\"", "", "^Mozilla")).statusCode()).isEqualTo(200);
        assertThat(state("ex01")).isEqualTo("enabled");
        assertThat(servedBy(6)).containsExactlyInAnyOrder("ex01", "ex03");
    }

    @Test
    void reload_invalidRegexAfterChangedServers_isRefusedAndChangesNoServer() throws Exception {
        assertThat(admin("PUT", "/api/real-servers/ex02/state", "{\"state\": \"draining\"}").statusCode())
                .isEqualTo(200);
        servedBy(4);
        JsonNode before = stats();

        // a back-reference is not RE2: the reader refuses it (the engine's own refusal after a compile that would
        // have touched ex01 and ex02 is tested in lb-engine's RejectedReconfigureTest)
        HttpResponse<String> refused = reload(config(", \"state\": \"disabled\", \"maxConnections\": 1",
                ", \"weight\": 0", "(a)\\1"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("virtualServices[0].subServices[1].match[0].value");
        assertThat(stats()).isEqualTo(before);
        assertThat(servedBy(6)).containsExactlyInAnyOrder("ex01", "ex03");
    }
}
