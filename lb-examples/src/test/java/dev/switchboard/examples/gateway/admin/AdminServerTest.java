package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.AdminState;
import dev.switchboard.api.Address;
import dev.switchboard.engine.EngineStats;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.netty.transport.NettyTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.switchboard.examples.gateway.admin.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

class AdminServerTest {

    private static final AdminSettings LOOPBACK = AdminSettings.of(Address.parse("127.0.0.1:0"), "");

    private static NettyTransport transport;

    private TestGateway gateway;
    private AdminServer server;
    private AdminClient client;

    @BeforeAll
    static void transport() {
        transport = NettyTransport.create(1, true);
    }

    @AfterAll
    static void closeTransport() {
        transport.close();
    }

    @BeforeEach
    void start() {
        gateway = new TestGateway().withTraffic();
        server = AdminServer.bind(transport, gateway, LOOPBACK);
        client = new AdminClient(server.localAddress());
    }

    @AfterEach
    void stop() {
        server.close(Duration.ZERO).join();
        gateway.engine().close();
    }

    @Test
    void stats_wholeTree_hasTheContractFields() {
        HttpResponse<String> r = client.get("/api/stats");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode mail = json(r).path("virtualServices").get(0);
        assertThat(mail.path("name").asText()).isEqualTo("mail");
        assertThat(mail.path("totalRequests").asLong()).isEqualTo(5);
        assertThat(mail.path("persistenceEntries").asLong()).isEqualTo(5);
        JsonNode owa = mail.path("subServices").get(0);
        assertThat(owa.path("name").asText()).isEqualTo("owa");
        assertThat(owa.path("totalRequests").asLong()).isEqualTo(5);
        assertThat(owa.path("state").asText()).isEqualTo("up");
        assertThat(owa.path("healthyServers").asInt()).isEqualTo(2);
        JsonNode ex01 = owa.path("realServers").get(0);
        assertThat(ex01.path("name").asText()).isEqualTo("ex01");
        assertThat(ex01.path("address").asText()).isEqualTo("127.0.0.1:9001");
        assertThat(ex01.path("state").asText()).isEqualTo("enabled");
        assertThat(ex01.path("health").asText()).isEqualTo("up");
        assertThat(ex01.path("totalRequests").asLong() + owa.path("realServers").get(1).path("totalRequests").asLong())
                .isEqualTo(5);
        assertThat(owa.path("realServers").findValues("activeConnections")).extracting(JsonNode::asInt)
                .containsExactlyInAnyOrder(0, 1);
        assertThat(ex01.path("failures").asLong()).isZero();
        JsonNode probe = ex01.path("lastProbe");
        assertThat(probe.path("time").asText()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(probe.path("latencyMillis").asDouble()).isEqualTo(2.5);
        assertThat(probe.path("status").asInt()).isEqualTo(200);
        assertThat(probe.path("success").asBoolean()).isTrue();
        assertThat(probe.path("reason").asText()).isEqualTo("status 200 <ok>");
        JsonNode ex03 = mail.path("subServices").get(1).path("realServers").get(1);
        assertThat(ex03.path("health").asText()).isEqualTo("down");
        assertThat(ex03.path("healthReason").asText()).isEqualTo(TestGateway.NASTY_REASON);
        assertThat(ex03.has("lastProbe")).isFalse();
        assertThat(json(r).path("virtualServices").get(1).path("subServices").get(0).path("realServers").get(0)
                .path("address").asText()).isEqualTo("127.0.0.1:9931");
    }

    @Test
    void putHostState_draining_drainsEveryEntryOfTheName() {
        HttpResponse<String> r = client.put("/api/real-servers/ex01/state", "{\"state\":\"draining\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("realServers").findValuesAsText("subService")).containsExactly("owa", "ews", "pool");
        assertThat(json(r).path("realServers").findValuesAsText("state")).containsOnly("draining");
        EngineStats stats = gateway.engine().stats();
        assertThat(stats.findRealServer("mail", "owa", "ex01").orElseThrow().state()).isEqualTo(AdminState.DRAINING);
        assertThat(stats.findRealServer("mail", "ews", "ex01").orElseThrow().state()).isEqualTo(AdminState.DRAINING);
        assertThat(stats.findRealServer("imap", "pool", "ex01").orElseThrow().state()).isEqualTo(AdminState.DRAINING);
        JsonNode tree = json(client.get("/api/stats"));
        assertThat(tree.findValues("realServers").stream().flatMap(a -> java.util.stream.StreamSupport
                .stream(a.spliterator(), false)).filter(s -> s.path("name").asText().equals("ex01"))
                .map(s -> s.path("state").asText())).containsExactly("draining", "draining", "draining");
    }

    @Test
    void putEntryState_disabled_changesOnlyThatEntry() {
        HttpResponse<String> r = client.put("/api/virtual-services/mail/sub-services/ews/real-servers/ex01/state",
                "{\"state\": \"disabled\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("drained").asBoolean()).isTrue();
        EngineStats stats = gateway.engine().stats();
        assertThat(stats.findRealServer("mail", "ews", "ex01").orElseThrow().state()).isEqualTo(AdminState.DISABLED);
        assertThat(stats.findRealServer("mail", "owa", "ex01").orElseThrow().state()).isEqualTo(AdminState.ENABLED);

        client.put("/api/virtual-services/mail/sub-services/ews/real-servers/ex01/state", "{\"state\":\"ENABLED\"}");
        assertThat(gateway.engine().stats().findRealServer("mail", "ews", "ex01").orElseThrow().state())
                .isEqualTo(AdminState.ENABLED);
    }

    @Test
    void putState_percentEncodedName_isDecoded() {
        HttpResponse<String> r = client.put("/api/virtual-services/m%61il/sub-services/owa/real-servers/"
                + "ex%2D02.b_c/state", "{\"state\":\"draining\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(gateway.engine().stats().findRealServer("mail", "owa", TestGateway.NASTY_NAME).orElseThrow().state())
                .isEqualTo(AdminState.DRAINING);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/real-servers/ex99/state                                             | server: ex99",
        "/api/virtual-services/nope/sub-services/owa/real-servers/ex01/state      | vs: nope",
        "/api/virtual-services/mail/sub-services/nope/real-servers/ex01/state     | sub: nope",
        "/api/virtual-services/mail/sub-services/owa/real-servers/ex03/state      | server: ex03",
        "/api/virtual-services/mail/sub-services/owa/real-servers/%3Cb%3E/state   | server: <b>",
        "/api/nothing                                                             | path: /api/nothing",
        "/api/real-servers/ex01/state/                                            | path:"})
    void unknownName_answers404WithJsonError(String path, String error) {
        HttpResponse<String> r = client.put(path, "{\"state\":\"draining\"}");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("error").asText()).startsWith(error);
        assertThat(gateway.engine().stats().findRealServer("mail", "owa", "ex01").orElseThrow().state())
                .isEqualTo(AdminState.ENABLED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                                   | body: empty",
        "`not json`                           | body: not JSON",
        "`[\"draining\"]`                     | body: [",
        "`{\"state\":\"sleeping\"}`           | state: sleeping (expected: enabled, draining, disabled)",
        "`{\"state\":3}`                      | state: 3",
        "`{\"state\":null}`                   | state: null",
        "`{}`                                 | state: missing",
        "`{\"state\":\"draining\",\"x\":1}`   | body.x: unknown field",
        "`{\"state\":\"draining\"} trailing`  | body: not JSON",
        "`{\"state\":\"enabled\",\"state\":\"draining\"}` | body: not JSON"})
    void badBody_answers400NamingFieldAndValue(String body, String error) {
        HttpResponse<String> r = client.put("/api/real-servers/ex01/state", body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).startsWith(error);
        assertThat(gateway.engine().stats().findRealServer("mail", "owa", "ex01").orElseThrow().state())
                .isEqualTo(AdminState.ENABLED);
    }

    @ParameterizedTest
    @CsvSource({"POST, /api/stats, GET", "DELETE, /api/real-servers/ex01/state, PUT", "GET, /api/reload, POST",
        "PUT, /, GET", "GET, /api/virtual-services/mail/sub-services/owa/real-servers/ex01/state, PUT"})
    void wrongMethod_answers405WithAllow(String method, String path, String allowed) {
        HttpResponse<String> r = client.send(method, path, "");

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue(allowed);
        assertThat(json(r).path("error").asText()).isEqualTo("method: " + method + " (expected: " + allowed + ")");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/real-servers/ex%zz/state     | path: /api/real-servers/ex%zz/state (expected: valid percent-encoded",
        "/api/real-servers/ex%C0%AF/state  | path:",
        "/api/real-servers/ex%2/state      | path:"})
    void badPercentEncoding_answers400(String path, String error) {
        String body = "{\"state\":\"draining\"}"; // java.net.URI refuses these paths: send them raw
        String answer = client.raw("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body);

        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"" + error);
    }

    @Test
    void malformedHttp_answers400NotA500() {
        assertThat(client.raw("GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
    }

    @Test
    void oversizedInput_answers4xxNotA500() {
        assertThat(client.raw("GET /api/stats?" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                .matches("(?s)HTTP/1.1 4\\d\\d .*");
        String body = "{\"state\":\"" + "x".repeat(40_000) + "\"}";
        assertThat(client.put("/api/real-servers/ex01/state", body).statusCode()).isEqualTo(413);
    }

    @Test
    void reload_callsTheGateway_andAnswersItsErrors() {
        assertThat(client.send("POST", "/api/reload", "").statusCode()).isEqualTo(200);
        assertThat(gateway.reloads()).isEqualTo(1);

        gateway.onReload(() -> {
            throw new dev.switchboard.config.ConfigFileException(java.util.List.of(
                    "virtualServices[0].name: missing (got null)", "admin.listen: x (expected: host:port)"));
        });
        HttpResponse<String> bad = client.send("POST", "/api/reload", "");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("errors")).hasSize(2);
        assertThat(json(bad).path("errors").get(1).asText()).isEqualTo("admin.listen: x (expected: host:port)");

        gateway.onReload(() -> {
            throw new IllegalStateException("not started from a file");
        });
        HttpResponse<String> noFile = client.send("POST", "/api/reload", "");
        assertThat(noFile.statusCode()).isEqualTo(409);
        assertThat(json(noFile).path("error").asText()).isEqualTo("reload: not started from a file");
    }

    @Test
    void crossSiteBrowserRequest_isRefused() {
        HttpResponse<String> r = client.put("/api/real-servers/ex01/state", "{\"state\":\"disabled\"}",
                "Origin", "http://evil.example");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(gateway.engine().stats().findRealServer("mail", "owa", "ex01").orElseThrow().state())
                .isEqualTo(AdminState.ENABLED);
        assertThat(client.get("/api/stats", "Origin", client.base()).statusCode()).isEqualTo(200);
    }

    @Test
    void noToken_hostThatIsNotLoopback_isRefused() {
        assertThat(client.raw("GET /api/stats HTTP/1.1\r\nHost: rebound.example:9000\r\n\r\n"))
                .startsWith("HTTP/1.1 403");
        assertThat(client.raw("GET /api/stats HTTP/1.1\r\nHost: localhost:9000\r\n\r\n")).startsWith("HTTP/1.1 200");
        assertThat(client.raw("GET /api/stats HTTP/1.1\r\nHost: [::1]:9000\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void bind_nonLoopbackWithoutToken_isRefused() {
        AdminSettings open = AdminSettings.of(Address.parse("0.0.0.0:9000"), "");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AdminServer.bind(transport, gateway, open))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("admin.token: missing (expected: a bearer token when admin.listen is not loopback,"
                        + " got 0.0.0.0:9000)");
    }

    @Test
    void close_stopsAccepting_andIsIdempotent() {
        var first = server.close(Duration.ZERO);
        assertThat(server.close(Duration.ofSeconds(5))).isSameAs(first);
        first.join();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.get("/api/stats"))
                .isInstanceOf(AssertionError.class);
    }
}
