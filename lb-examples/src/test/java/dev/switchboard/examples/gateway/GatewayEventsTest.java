package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.config.GatewayConfigReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event history through the whole gateway: real servers on loopback failing and passing their health check,
 * drains through the admin API, a refused reload; read back with {@code GET /api/events} and on the stats page.
 */
class GatewayEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-events";
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final TestFleet fleet = new TestFleet("ex01", "ex02");
    private Path file;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("gateway.json");
        Files.writeString(file, """
                { "admin": { "listen": "127.0.0.1:0", "token": "%s" },
                  "virtualServices": [ { "name": "mail", "listen": "127.0.0.1:0", "protocol": "http",
                    "scheduling": "round-robin", "accessLog": false,
                    "subServices": [ { "name": "owa", "default": true,
                      "healthCheck": { "type": "http", "path": "/owa/healthcheck.htm", "interval": "200ms",
                                       "timeout": "500ms", "rise": 1, "fall": 1 },
                      "realServers": [ { "name": "ex01", "address": "%s" },
                                       { "name": "ex02", "address": "%s" } ] } ] } ] }
                """.formatted(TOKEN, fleet.address("ex01"), fleet.address("ex02")));
        gateway = Gateway.start(GatewayConfigReader.read(file), file);
        Eventually.until("both servers up", LIMIT, () -> upEvents("ex01") > 0 && upEvents("ex02") > 0);
    }

    @AfterEach
    void stop() {
        gateway.stop(Duration.ofSeconds(1)).join();
        fleet.close();
    }

    @Test
    void healthCheckAnswers503_healthDownEventWithProbeReason_thenUpAgain() throws Exception {
        int upsBefore = upEvents("ex01");
        String mark = lastTime(); // the start had its own events: ex01 "not checked yet", then up
        fleet.setWorkloadUp("ex01", "owa", false);
        JsonNode down = await("ex01 down", "?since=" + mark,
                e -> is(e, "health", "ex01") && e.path("to").asText().equals("down"));
        assertThat(down.path("from").asText()).isEqualTo("up");
        assertThat(down.path("virtualService").asText()).isEqualTo("mail");
        assertThat(down.path("subService").asText()).isEqualTo("owa");
        assertThat(down.path("reason").asText()).contains("503");
        assertThat(Instant.parse(down.path("time").asText())).isBeforeOrEqualTo(Instant.now());

        fleet.setWorkloadUp("ex01", "owa", true);
        Eventually.until("ex01 up again", LIMIT, () -> upEvents("ex01") > upsBefore);
        List<JsonNode> all = events("");
        List<Instant> times = all.stream().map(e -> Instant.parse(e.path("time").asText())).toList();
        assertThat(times).as("newest last").isSorted();
        JsonNode last = all.stream().filter(e -> is(e, "health", "ex01")).reduce((a, b) -> b).orElseThrow();
        assertThat(last.path("from").asText()).isEqualTo("down");
        assertThat(last.path("to").asText()).isEqualTo("up");
        assertThat(last.path("reason").asText()).isEqualTo("status 200");
    }

    @Test
    void drainThroughAdminApi_adminStateEvent_andSinceKeepsOnlyLaterEvents() throws Exception {
        List<JsonNode> before = events("");
        String mark = lastTime();
        assertThat(send("PUT", "/api/real-servers/ex02/state", "{\"state\":\"draining\"}").statusCode())
                .isEqualTo(200);

        List<JsonNode> later = events("?since=" + mark);
        assertThat(later).extracting(e -> e.path("kind").asText()).containsExactly("admin-state");
        JsonNode drain = later.get(0);
        assertThat(drain.path("realServer").asText()).isEqualTo("ex02");
        assertThat(drain.path("from").asText()).isEqualTo("enabled");
        assertThat(drain.path("to").asText()).isEqualTo("draining");
        assertThat(drain.path("reason").asText()).isEqualTo("operator");
        assertThat(Instant.parse(drain.path("time").asText())).isAfter(Instant.parse(mark));

        String drainTime = drain.path("time").asText();
        assertThat(events("?since=" + drainTime)).isEmpty();
        // the same instant with an offset (+ written %2B in a query)
        String offset = Instant.parse(mark).atOffset(java.time.ZoneOffset.ofHours(1)).toString().replace("+", "%2B");
        assertThat(events("?since=" + offset)).extracting(e -> e.path("kind").asText())
                .containsExactly("admin-state");
        assertThat(events("")).hasSize(before.size() + 1);
    }

    @Test
    void badSince_answers400NamingTheParameterAndValue_andTheTokenIsRequired() throws Exception {
        HttpResponse<String> bad = send("GET", "/api/events?since=yesterday", "");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").asText())
                .startsWith("since: yesterday (expected: an ISO-8601 instant");
        assertThat(send("GET", "/api/events?since=2026-13-01T00:00:00Z", "").statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/events?since=", "").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/events", "").statusCode()).isEqualTo(405);

        HttpRequest anonymous = HttpRequest.newBuilder(URI.create(admin("/api/events"))).build();
        assertThat(client.send(anonymous, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void refusedReload_isAConfigurationErrorEvent_andAGoodOneAReloadEvent() throws Exception {
        String good = Files.readString(file);
        Files.writeString(file, good.replace("\"round-robin\"", "\"round-robbin\""));
        assertThat(send("POST", "/api/reload", "").statusCode()).isEqualTo(400);
        JsonNode error = await("configuration error", "",
                e -> e.path("kind").asText().equals("configuration-error"));
        assertThat(error.path("reason").asText()).contains("virtualServices[0].scheduling").contains("round-robbin");
        assertThat(error.has("virtualService")).as("absent fields are left out").isFalse();

        Files.writeString(file, good.replace("\"interval\": \"200ms\"", "\"interval\": \"300ms\""));
        assertThat(send("POST", "/api/reload", "").statusCode()).isEqualTo(200);
        await("reload", "", e -> e.path("kind").asText().equals("reload"));
    }

    @Test
    void statsPage_showsRecentEvents_escaped() throws Exception {
        send("PUT", "/api/virtual-services/mail/sub-services/owa/real-servers/ex01/state", "{\"state\":\"disabled\"}");
        HttpResponse<String> page = send("GET", "/", "");
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();
        assertThat(html).contains("<h2>Recent events").contains("mail/owa/ex01").contains("enabled → disabled")
                .contains("<td class=\"kind\">admin-state</td>");
        assertThat(html.indexOf("enabled → disabled")).as("newest first")
                .isLessThan(html.indexOf("<td class=\"kind\">health</td>"));
        assertThat(send("GET", "/stats/tables", "").body()).contains("Recent events");
    }

    private static boolean is(JsonNode e, String kind, String server) {
        return e.path("kind").asText().equals(kind) && e.path("realServer").asText().equals(server);
    }

    private int upEvents(String server) {
        try {
            return (int) events("").stream().filter(e -> is(e, "health", server)
                    && e.path("to").asText().equals("up")).count();
        } catch (Exception e) {
            return 0;
        }
    }

    private String lastTime() throws Exception {
        List<JsonNode> all = events("");
        return all.get(all.size() - 1).path("time").asText();
    }

    private JsonNode await(String what, String query, Predicate<JsonNode> which) {
        JsonNode[] found = new JsonNode[1];
        Eventually.until(what, LIMIT, () -> {
            try {
                found[0] = events(query).stream().filter(which).reduce((a, b) -> b).orElse(null);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return found[0] != null;
        });
        return found[0];
    }

    private List<JsonNode> events(String query) throws Exception {
        HttpResponse<String> r = send("GET", "/api/events" + query, "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).path("events").forEach(out::add);
        return out;
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(admin(path))).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String admin(String path) {
        return "http://" + Gateway.hostPort(gateway.findAdminAddress().orElseThrow()) + path;
    }
}
