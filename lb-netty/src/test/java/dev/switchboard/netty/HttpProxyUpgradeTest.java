package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.netty.testing.RawBackend;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.netty.testing.TunnelBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Upgrades on the wire, raw sockets both sides: any protocol, keep-alive, early bytes, and the bad inputs. */
class HttpProxyUpgradeTest {

    private static final String ECHO_UPGRADE = "GET /e HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
            + "Upgrade: echo\r\n\r\n";
    private static final String H2C_UPGRADE = "GET /h HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
            + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n";
    private static final String WS_UPGRADE = "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
            + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

    private ProxyFixture gateway;
    private TunnelBackend backend;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.assertNoLeaseHeld();
            Eventually.until("client connections closed", () -> gateway.proxy.channels().openConnections() == 0);
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static VirtualService.Builder service(String address, UnaryOperator<VirtualService.Builder> more) {
        return more.apply(VirtualService.builder("web").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("s1", address)).build()));
    }

    private void startEcho(UnaryOperator<VirtualService.Builder> more) {
        backend = new TunnelBackend("a");
        gateway = ProxyFixture.start(service(backend.address(), more));
    }

    private RealServerStats s1() {
        return gateway.engine.stats().findRealServer("web", "pool", "s1").orElseThrow();
    }

    @Test
    void otherProtocol_onAKeepAliveConnection_isTunnelledAfterAPlainRequest() {
        startEcho(b -> b.upgrades("websocket", "echo"));
        try (RawClient c = RawClient.connect(gateway.port())) {
            assertThat(c.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).endsWith("a GET /plain");
            String head = c.send(ECHO_UPGRADE).readHead();
            assertThat(RawClient.status(head)).isEqualTo(101);
            assertThat(head).containsIgnoringCase("upgrade: echo").containsIgnoringCase("connection: upgrade");
            assertThat(c.send("hello, tunnel").readBody(13)).isEqualTo("hello, tunnel");
            assertThat(backend.lastHead()).startsWith("GET /e").contains("upgrade: echo")
                    .containsIgnoringCase("connection: upgrade");
            assertThat(s1().openTunnels()).isEqualTo(1);
            String inner = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
            assertThat(c.send(inner).readBody(inner.length())).as("HTTP inside the tunnel is only bytes")
                    .isEqualTo(inner);
            assertThat(backend.heads).hasSize(2);
        }
        Eventually.until("tunnel closed", () -> s1().openTunnels() == 0 && backend.openConnections() == 0);
    }

    @Test
    void bytesSentBeforeThe101_reachTheServerAfterIt() {
        startEcho(b -> b.upgrades("echo"));
        try (RawClient c = RawClient.connect(gateway.port())) {
            String head = c.send(ECHO_UPGRADE + "early bytes").readHead();
            assertThat(RawClient.status(head)).isEqualTo(101);
            assertThat(c.readBody(11)).isEqualTo("early bytes");
        }
    }

    @Test
    void protocolNotAllowed_goesOnAsAPlainRequest_withoutItsUpgrade() {
        startEcho(b -> b); // websocket only: echo is not tunnelled
        try (RawClient c = RawClient.connect(gateway.port())) {
            String response = c.send(ECHO_UPGRADE).readResponse();
            assertThat(RawClient.status(response)).isEqualTo(200);
            assertThat(backend.lastHead()).doesNotContain("upgrade:").doesNotContainIgnoringCase("connection:");
            assertThat(c.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).endsWith("a GET /next");
        }
        assertThat(s1().openTunnels()).isZero();
    }

    @Test
    void h2c_isNeverPassedOn_andTheConnectionStaysHttp() {
        startEcho(b -> b.upgrades("websocket", "echo"));
        try (RawClient c = RawClient.connect(gateway.port())) {
            String response = c.send(H2C_UPGRADE).readResponse();
            assertThat(RawClient.status(response)).isEqualTo(200);
            assertThat(response).doesNotContainIgnoringCase("upgrade");
            assertThat(backend.lastHead()).startsWith("GET /h").doesNotContain("upgrade")
                    .doesNotContain("http2-settings")
                    .doesNotContainIgnoringCase("connection:");
            assertThat(c.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).endsWith("a GET /after");
        }
    }

    @Test
    void h2cPrefaceSentEarly_isNeverReadAsHttp_theConnectionCloses() {
        startEcho(b -> b);
        try (RawClient c = RawClient.connect(gateway.port())) {
            String response = c.send(H2C_UPGRADE + "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").readResponse();
            assertThat(RawClient.status(response)).isEqualTo(200);
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(backend.heads).hasSize(1);
    }

    @Test
    void upgradeWithABody_isRefused400_andNothingReachesTheServer() {
        startEcho(b -> b.upgrades("echo"));
        try (RawClient c = RawClient.connect(gateway.port())) {
            String response = c.send("POST /e HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: echo\r\n"
                    + "Content-Length: 5\r\n\r\nhello").readResponse();
            assertThat(RawClient.status(response)).isEqualTo(400);
            assertThat(response).containsIgnoringCase("connection: close");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(backend.connections.get()).isZero();
    }

    @Test
    void unasked101_becomes502_andCountsAgainstTheServer() {
        try (RawBackend rogue = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n"
                    + "rogue");
            drain(s.getInputStream());
        })) {
            gateway = ProxyFixture.start(service(rogue.address(), b -> b.upgrades("echo")));
            try (RawClient c = RawClient.connect(gateway.port())) {
                assertThat(RawClient.status(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse())).isEqualTo(502);
            }
            assertThat(s1().failures()).isEqualTo(1);
            assertThat(s1().openTunnels()).isZero();
        }
    }

    @Test
    void switchToAProtocolNotOffered_becomes502() {
        try (RawBackend rogue = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
            drain(s.getInputStream());
        })) {
            gateway = ProxyFixture.start(service(rogue.address(), b -> b));
            try (RawClient c = RawClient.connect(gateway.port())) {
                assertThat(RawClient.status(c.send(WS_UPGRADE).readResponse())).isEqualTo(502);
            }
            assertThat(s1().failures()).isEqualTo(1);
            assertThat(s1().openTunnels()).isZero();
        }
    }

    @Test
    void refusedUpgrade_isRelayed_andTheConnectionGoesOnAsHttp() {
        try (RawBackend refusing = new RawBackend(s -> {
            InputStream in = s.getInputStream();
            String head;
            while (!(head = RawBackend.readHead(in)).isEmpty()) {
                boolean ws = head.toLowerCase(java.util.Locale.ROOT).contains("upgrade: websocket");
                RawBackend.write(s, ws ? "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno"
                        : "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes");
            }
        })) {
            gateway = ProxyFixture.start(service(refusing.address(), b -> b));
            try (RawClient c = RawClient.connect(gateway.port())) {
                String refused = c.send(WS_UPGRADE).readResponse();
                assertThat(RawClient.status(refused)).isEqualTo(403);
                assertThat(refused).endsWith("no");
                assertThat(c.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).endsWith("yes");
            }
            assertThat(s1().openTunnels()).isZero();
        }
    }

    @Test
    void garbageAfterTheServerClosedTheTunnel_goesNowhere() {
        try (RawBackend once = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nbye");
        })) {
            gateway = ProxyFixture.start(service(once.address(), b -> b.upgrades("echo")));
            try (RawClient c = RawClient.connect(gateway.port())) {
                assertThat(RawClient.status(c.send(ECHO_UPGRADE).readHead())).isEqualTo(101);
                assertThat(c.readBody(3)).isEqualTo("bye");
                assertThat(c.closedByPeer()).isTrue();
                try {
                    c.send("GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n\u0000\u0001garbage");
                } catch (UncheckedIOException closed) {
                    // the gateway closed: also fine
                }
            }
            assertThat(once.connections.get()).isEqualTo(1);
            assertThat(s1().totalRequests()).isEqualTo(1);
        }
    }

    @Test
    void aClientThatDoesNotRead_stallsTheSenderInsteadOfFillingTheGateway() throws Exception {
        int total = 64 << 20; // far beyond every socket buffer on the way
        try (RawBackend echo = new RawBackend(s -> { // blocking echo: it reads only what it could write back
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
            s.getInputStream().transferTo(s.getOutputStream());
        })) {
            gateway = ProxyFixture.start(service(echo.address(), b -> b.upgrades("echo")));
            try (RawClient c = RawClient.connect(gateway.port())) {
                assertThat(RawClient.status(c.send(ECHO_UPGRADE).readHead())).isEqualTo(101);
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    byte[] chunk = new byte[65_536];
                    for (int sent = 0; sent < total; sent += chunk.length) {
                        for (int i = 0; i < chunk.length; i++) {
                            chunk[i] = (byte) ((sent + i) % 251);
                        }
                        c.send(chunk);
                    }
                });
                assertThatThrownBy(() -> sending.get(1, TimeUnit.SECONDS)).as("the sender waits on the reader")
                        .isInstanceOf(TimeoutException.class);
                InputStream in = c.socket.getInputStream();
                byte[] buf = new byte[65_536];
                for (int read = 0; read < total;) {
                    int n = in.read(buf);
                    assertThat(n).as("echoed bytes").isPositive();
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != (byte) ((read + i) % 251)) {
                            throw new AssertionError("byte " + (read + i) + " differs");
                        }
                    }
                    read += n;
                }
                sending.get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[1024];
        while (in.read(buf) >= 0) {
            // until the gateway closes
        }
    }
}
