package dev.switchboard.examples.gateway.admin;

import static dev.switchboard.examples.gateway.admin.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.examples.gateway.Gateway;
import dev.switchboard.netty.testing.TunnelBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference gateway from a configuration file with {@code upgrades} and {@code timeouts.tunnelIdle}: a
 * WebSocket goes through, {@code /api/stats} shows it as an open tunnel of its real server until it closes.
 */
class GatewayWebSocketTest {

    @TempDir
    Path dir;

    private final TunnelBackend backend = new TunnelBackend("ws1");
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        backend.close();
    }

    private void start(String timeouts) {
        String json = """
                { "admin": { "listen": "127.0.0.1:0" },
                  "virtualServices": [ { "name": "chat", "listen": "127.0.0.1:0", "protocol": "http",
                    "accessLog": false, "upgrades": ["websocket"], "timeouts": %s,
                    "subServices": [ { "name": "live", "default": true,
                      "realServers": [ { "name": "ws1", "address": "%s" } ] } ] } ] }
                """.formatted(timeouts, backend.address());
        gateway = Gateway.start(GatewayConfigReader.parse(json, dir));
    }

    private JsonNode server(AdminClient admin) {
        return json(admin.get("/api/stats")).path("virtualServices").path(0).path("subServices").path(0)
                .path("realServers").path(0);
    }

    @Test
    void webSocket_throughTheGateway_showsAsAnOpenTunnel_untilItCloses() throws Exception {
        start("{ \"tunnelIdle\": \"1h\" }");
        AdminClient admin = new AdminClient(gateway.findAdminAddress().orElseThrow());
        Messages messages = new Messages();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
                + gateway.address("chat").getPort() + "/live"), messages).get(5, TimeUnit.SECONDS);
        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(messages.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("hello");

        JsonNode open = server(admin);
        assertThat(open.path("name").asText()).isEqualTo("ws1");
        assertThat(open.path("openTunnels").asInt(-1)).isEqualTo(1);
        assertThat(open.path("activeConnections").asInt(-1)).isEqualTo(1);
        assertThat(admin.get("/").body()).as("the stats page says it too")
                .contains("<span class=\"tunnels\">(1 tunnel)</span>");

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        messages.closed.get(5, TimeUnit.SECONDS);
        Eventually.until("the tunnel gone from the stats", () -> server(admin).path("openTunnels").asInt(-1) == 0
                && server(admin).path("activeConnections").asInt(-1) == 0);
    }

    @Test
    void tunnelIdle_fromTheFile_closesAQuietWebSocket() throws Exception {
        start("{ \"tunnelIdle\": \"300ms\" }");
        Messages messages = new Messages();
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
                + gateway.address("chat").getPort() + "/live"), messages).get(5, TimeUnit.SECONDS);
        CompletableFuture.anyOf(messages.closed, messages.failed).get(5, TimeUnit.SECONDS);
        Eventually.until("the server side closed", () -> backend.openConnections() == 0);
    }

    private static final class Messages implements WebSocket.Listener {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final CompletableFuture<Throwable> failed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            texts.add(data.toString());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failed.complete(error);
        }
    }
}
