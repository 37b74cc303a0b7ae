package dev.switchboard.examples.gateway.admin;

import dev.switchboard.api.Address;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.netty.transport.NettyTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.switchboard.examples.gateway.admin.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

class AdminTokenTest {

    private static final String TOKEN = "s3cret-Token_42";

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
        gateway = new TestGateway();
        server = AdminServer.bind(transport, gateway, AdminSettings.of(Address.parse("127.0.0.1:0"), TOKEN));
        client = new AdminClient(server.localAddress());
    }

    @AfterEach
    void stop() {
        server.close(Duration.ZERO).join();
        gateway.engine().close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer wrong", "Basic czNjcmV0LVRva2VuXzQy",
        "Bearer s3cret-Token_4", "Bearer s3cret-Token_422", "bearer-s3cret-Token_42"})
    void missingOrWrongToken_answers401(String authorization) {
        String[] headers = authorization.isEmpty() ? new String[0] : new String[] {"Authorization", authorization};

        HttpResponse<String> r = client.get("/api/stats", headers);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"switchboard-admin\"");
        assertThat(json(r).path("error").asText())
                .isEqualTo("authorization: missing or wrong (expected: Bearer TOKEN)");
        assertThat(r.body()).doesNotContain(TOKEN);
    }

    @Test
    void rightToken_isAccepted_onEveryEndpoint() {
        assertThat(client.get("/api/stats", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(client.get("/api/explain?vs=mail&path=/owa", "Authorization", "bearer " + TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(client.put("/api/real-servers/ex01/state", "{\"state\":\"draining\"}",
                "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(client.get("/", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongMethodOrUnknownPath_withoutToken_answers401NotMore() {
        assertThat(client.send("DELETE", "/api/stats", "").statusCode()).isEqualTo(401);
        assertThat(client.get("/api/nothing").statusCode()).isEqualTo(401);
        assertThat(client.put("/api/real-servers/ex01/state", "{\"state\":\"disabled\"}").statusCode())
                .isEqualTo(401);
        assertThat(gateway.engine().stats().findRealServer("mail", "owa", "ex01").orElseThrow().state().configName())
                .isEqualTo("enabled");
    }

    @Test
    void page_acceptsTokenInItsUrl_onlyThere() {
        HttpResponse<String> page = client.get("/?token=" + TOKEN);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<table").doesNotContain(TOKEN);

        assertThat(client.get("/?token=wrong").statusCode()).isEqualTo(401);
        assertThat(client.get("/api/stats?token=" + TOKEN).statusCode()).isEqualTo(401);
        assertThat(client.get("/stats/tables?token=" + TOKEN).statusCode()).isEqualTo(401);
    }

    @Test
    void withToken_anyHostHeader_isAccepted() {
        assertThat(client.raw("GET /api/stats HTTP/1.1\r\nHost: admin.example:9000\r\nAuthorization: Bearer " + TOKEN
                + "\r\n\r\n")).startsWith("HTTP/1.1 200");
    }
}
