package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.netty.settings.Timeouts;
import dev.switchboard.netty.testing.TunnelBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WebSocket through the gateway: the JDK's client, a Netty WebSocket server, real sockets on loopback. */
class HttpProxyWebSocketTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private TunnelBackend backend = new TunnelBackend("a");
    private TunnelBackend other;
    private ProxyFixture gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.assertNoLeaseHeld();
            gateway.close();
        }
        backend.close();
        if (other != null) {
            other.close();
        }
    }

    private static VirtualService.Builder service(String address) {
        return VirtualService.builder("web").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("s1", address)).build());
    }

    private Frames open(String path) throws Exception {
        Frames frames = new Frames();
        http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + path), frames)
                .get(5, TimeUnit.SECONDS);
        return frames;
    }

    private RealServerStats s1() {
        return gateway.engine.stats().findRealServer("web", "pool", "s1").orElseThrow();
    }

    @Test
    void webSocket_manyFramesBothWays_areRelayedInOrder_andTheTunnelCountsUntilClosed() throws Exception {
        gateway = ProxyFixture.start(service(backend.address()));
        Frames ws = open("/chat");
        for (int i = 0; i < 500; i++) {
            ws.socket.sendText("message " + i, true).get(5, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 500; i++) {
            assertThat(ws.next()).isEqualTo("message " + i);
        }
        byte[] big = new byte[512 * 1024]; // beyond every socket buffer: back-pressure both ways
        new SplittableRandom(7).nextBytes(big);
        ws.socket.sendBinary(ByteBuffer.wrap(big), true).get(5, TimeUnit.SECONDS);
        assertThat(ws.nextBinary()).isEqualTo(big);
        assertThat(s1().openTunnels()).isEqualTo(1);
        assertThat(s1().activeConnections()).isEqualTo(1);
        assertThat(backend.lastHead()).contains("upgrade: websocket").containsIgnoringCase("connection: upgrade")
                .contains("x-forwarded-for: 127.0.0.1");

        ws.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        assertThat(ws.closed.get(5, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        Eventually.until("tunnel closed", () -> s1().openTunnels() == 0 && backend.openConnections() == 0
                && gateway.proxy.channels().openConnections() == 0);
        assertThat(s1().totalRequests()).isEqualTo(1);
        assertThat(s1().failures()).isZero();
        assertThat(s1().bytesIn()).isGreaterThan(big.length);
        assertThat(s1().bytesOut()).isGreaterThan(big.length);
    }

    @Test
    void serverCloses_closesTheClient_andReleasesTheLease() throws Exception {
        gateway = ProxyFixture.start(service(backend.address()));
        Frames ws = open("/chat");
        ws.socket.sendText("close", true).get(5, TimeUnit.SECONDS);
        assertThat(ws.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        Eventually.until("tunnel closed", () -> s1().activeConnections() == 0
                && gateway.proxy.channels().openConnections() == 0);
        assertThat(s1().openTunnels()).isZero();
    }

    @Test
    void clientGoesAway_closesTheServerSide() throws Exception {
        gateway = ProxyFixture.start(service(backend.address()));
        Frames ws = open("/chat");
        ws.socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(ws.next()).isEqualTo("hello");
        ws.socket.abort(); // no close frame: the TCP connection just ends
        Eventually.until("server side closed", () -> backend.openConnections() == 0 && s1().activeConnections() == 0);
    }

    @Test
    void tunnelIdle_closesBothSides() throws Exception {
        gateway = ProxyFixture.start(service(backend.address()), b -> b.timeouts(Timeouts.DEFAULTS
                .withTunnelIdle(Duration.ofMillis(300))));
        Frames ws = open("/chat");
        ws.socket.sendText("still here", true).get(5, TimeUnit.SECONDS);
        assertThat(ws.next()).isEqualTo("still here");
        ws.closedOrFailed().get(5, TimeUnit.SECONDS);
        Eventually.until("idle tunnel closed", () -> backend.openConnections() == 0 && s1().activeConnections() == 0);
        assertThat(s1().failures()).as("an idle tunnel is no fault of the server").isZero();
    }

    @Test
    void webSocket_isRoutedByContentRules_headerRules_andPersistence() throws Exception {
        other = new TunnelBackend("b");
        TunnelBackend third = new TunnelBackend("c");
        try {
            gateway = ProxyFixture.start(VirtualService.builder("web").listen("127.0.0.1:8080")
                    .requestRule(HeaderRule.setHeader("X-Gateway", "sb"))
                    .subService(SubService.builder("chat").matchAny(ContentRule.pathPrefix("/chat"))
                            .persistence(Persistence.of(PersistenceMode.SOURCE_IP))
                            .realServer(RealServer.of("b1", other.address()))
                            .realServer(RealServer.of("c1", third.address())).build())
                    .subService(SubService.builder("pool").asDefault()
                            .realServer(RealServer.of("s1", backend.address())).build()));
            for (int i = 0; i < 3; i++) {
                Frames ws = open("/chat/room" + i);
                ws.socket.sendText("hi", true).get(5, TimeUnit.SECONDS);
                assertThat(ws.next()).isEqualTo("hi");
                ws.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
                ws.closed.get(5, TimeUnit.SECONDS);
            }
            assertThat(backend.heads).as("the default sub-service").isEmpty();
            TunnelBackend chosen = other.heads.isEmpty() ? third : other;
            assertThat(chosen.heads).as("source-ip persistence keeps one server").hasSize(3);
            assertThat(chosen.lastHead()).startsWith("GET /chat/room2").contains("x-gateway: sb");
        } finally {
            third.close();
        }
    }

    @Test
    void drain_waitsForTheOpenTunnel_thenCompletes() throws Exception {
        gateway = ProxyFixture.start(service(backend.address()));
        Frames ws = open("/chat");
        CompletableFuture<Boolean> drained = gateway.engine.setAdminState("s1", AdminState.DRAINING,
                Duration.ofSeconds(20));
        assertThatTimesOut(drained, "a drain with a tunnel open");
        ws.socket.sendText("still relayed while draining", true).get(5, TimeUnit.SECONDS);
        assertThat(ws.next()).isEqualTo("still relayed while draining");
        ws.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        assertThat(drained.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(s1().openTunnels()).isZero();
    }

    @Test
    void listenerClose_waitsForTheOpenTunnel_withinItsGrace() throws Exception {
        gateway = ProxyFixture.start(service(backend.address()));
        Frames ws = open("/chat");
        CompletableFuture<Void> closed = gateway.proxy.close(Duration.ofSeconds(20));
        assertThatTimesOut(closed, "a listener close with a tunnel open");
        ws.socket.sendText("last words", true).get(5, TimeUnit.SECONDS);
        assertThat(ws.next()).isEqualTo("last words");
        ws.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        closed.get(5, TimeUnit.SECONDS);
        assertThat(s1().activeConnections()).isZero();
    }

    private static void assertThatTimesOut(CompletableFuture<?> f, String what) throws Exception {
        try {
            f.get(300, TimeUnit.MILLISECONDS);
            throw new AssertionError(what + " completed");
        } catch (TimeoutException expected) {
            // still waiting, as it should
        }
    }

    /** Collects whole messages; completes {@link #closed} with the close code. */
    static final class Frames implements WebSocket.Listener {
        final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final CompletableFuture<Throwable> failed = new CompletableFuture<>();
        WebSocket socket;
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
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
            closed.completeExceptionally(error);
        }

        CompletableFuture<Object> closedOrFailed() {
            return CompletableFuture.anyOf(closed.exceptionally(e -> -1), failed);
        }

        String next() throws InterruptedException {
            Object m = messages.poll(5, TimeUnit.SECONDS);
            assertThat(m).as("a text message within 5 s").isInstanceOf(String.class);
            return (String) m;
        }

        byte[] nextBinary() throws InterruptedException {
            Object m = messages.poll(5, TimeUnit.SECONDS);
            assertThat(m).as("a binary message within 5 s").isInstanceOf(byte[].class);
            return (byte[]) m;
        }
    }
}
