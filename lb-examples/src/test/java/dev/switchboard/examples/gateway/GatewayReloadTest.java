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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/reload}: the file is read again and swapped in; persistence and counters survive. */
class GatewayReloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final TestFleet fleet = new TestFleet("ex01", "ex02", "ex03");
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        fleet.close();
    }

    private String config(String... servers) {
        StringBuilder list = new StringBuilder();
        for (String s : servers) {
            list.append(list.length() == 0 ? "" : ", ").append("{\"name\": \"").append(s)
                    .append("\", \"address\": \"").append(fleet.address(s)).append("\"}");
        }
        return """
                { "admin": { "listen": "127.0.0.1:0" },
                  "virtualServices": [ { "name": "app", "listen": "127.0.0.1:0", "protocol": "http",
                    "scheduling": "round-robin", "accessLog": false,
                    "persistence": { "mode": "header", "header": "X-User", "timeout": "45m" },
                    "subServices": [ { "name": "pool", "default": true, "realServers": [ %s ] } ] } ] }
                """.formatted(list);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String app(String user) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://" + Gateway.hostPort(gateway.address("app")) + "/x"))
                .header("X-User", user)).headers().firstValue("X-Served-By").orElseThrow();
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://"
                + Gateway.hostPort(gateway.findAdminAddress().orElseThrow()) + path))
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void reload_addsAServer_keepsPersistenceAndCounters_andRefusesABadFileWithoutChangingAnything()
            throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, config("ex01", "ex02"));
        gateway = Gateway.start(GatewayConfigReader.read(file), file);
        String alice = app("alice");
        for (int i = 0; i < 3; i++) {
            app("user" + i);
        }

        Files.writeString(file, config("ex01", "ex02", "ex03"));
        assertThat(admin("POST", "/api/reload").statusCode()).isEqualTo(200);
        JsonNode vs = JSON.readTree(admin("GET", "/api/stats").body()).path("virtualServices").get(0);
        assertThat(vs.path("persistenceEntries").asLong()).isEqualTo(4);
        assertThat(vs.path("totalRequests").asLong()).isEqualTo(4);
        assertThat(vs.findValuesAsText("name")).contains("ex03");
        assertThat(app("alice")).isEqualTo(alice);
        Set<String> fresh = new HashSet<>();
        for (int i = 0; i < 9; i++) {
            fresh.add(app("new" + i));
        }
        assertThat(fresh).contains("ex03");

        Files.writeString(file, "{ \"virtualServices\": [ { \"name\": 5 } ] }");
        HttpResponse<String> refused = admin("POST", "/api/reload");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("virtualServices[0].name");
        assertThat(gateway.config().loadBalancer().virtualServices().get(0).subServices().get(0).realServers())
                .hasSize(3);
        assertThat(app("alice")).isEqualTo(alice);
    }
}
