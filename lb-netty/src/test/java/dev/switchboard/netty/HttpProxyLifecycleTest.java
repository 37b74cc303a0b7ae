package dev.switchboard.netty;

import dev.switchboard.api.testing.Eventually;

import dev.switchboard.netty.testing.RawBackend;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.netty.transport.NettyTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Address;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.settings.Timeouts;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpProxyLifecycleTest {

    private static VirtualService.Builder service(RealServer server) {
        return VirtualService.builder("web").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(server).build());
    }

    /** Answers each request once {@code go} opens. */
    private static RawBackend gated(CountDownLatch go) {
        return new RawBackend(s -> {
            InputStream in = s.getInputStream();
            while (!RawBackend.readHead(in).isEmpty()) {
                try {
                    go.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
            }
        });
    }

    @Test
    void close_stopsAccepting_letsTheRequestInFlightFinish_andClosesIdleConnections() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (RawBackend server = gated(go);
                ProxyFixture g = ProxyFixture.start(service(RealServer.of("s1", server.address())));
                RawClient busy = RawClient.connect(g.port()); RawClient idle = RawClient.connect(g.port())) {
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            awaitConnection(server);
            int port = g.port();
            CompletableFuture<Void> closed = g.proxy.close(Duration.ofSeconds(5));
            assertThat(idle.closedByPeer()).isTrue();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            go.countDown();
            String response = busy.readResponse();
            assertThat(RawClient.status(response)).isEqualTo(200);
            assertThat(response).containsIgnoringCase("connection: close").endsWith("done");
            closed.get(5, TimeUnit.SECONDS);
            g.assertNoLeaseHeld();
        }
    }

    private static void awaitConnection(RawBackend server) {
        Eventually.until("a connection to the real server", () -> server.connections.get() > 0);
    }

    @Test
    void serverAtItsConnectionLimit_queuesTheNextRequest_withoutBlocking() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (RawBackend server = gated(go);
                ProxyFixture g = ProxyFixture.start(service(RealServer.builder("s1", server.address())
                        .maxConnections(1).build()));
                RawClient first = RawClient.connect(g.port()); RawClient second = RawClient.connect(g.port())) {
            first.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            awaitConnection(server);
            second.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(second.silentFor(300)).isTrue(); // queued
            go.countDown();
            assertThat(RawClient.status(first.readResponse())).isEqualTo(200);
            assertThat(RawClient.status(second.readResponse())).isEqualTo(200);
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void slowClient_cannotHoldAServerConnection_beyondTheServerIdleTimeout() {
        try (RawBackend server = new RawBackend(s -> s.getInputStream().readAllBytes());
                ProxyFixture g = ProxyFixture.start(service(RealServer.of("s1", server.address())),
                        b -> b.timeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5),
                                Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofSeconds(1))));
                RawClient c = RawClient.connect(g.port())) {
            String response = c.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly a bit")
                    .readResponse();
            assertThat(RawClient.status(response)).isEqualTo(408);
            assertThat(c.closedByPeer()).isTrue();
            g.assertNoLeaseHeld();
            assertThat(g.failures("pool", "s1")).as("the server is not to blame").isZero();
        }
    }

    @Test
    void keepAliveClient_staysWhileItSendsRequests_andIsClosedAfterTheClientIdleTimeout() {
        try (RawBackend server = new RawBackend(s -> {
            while (!RawBackend.readHead(s.getInputStream()).isEmpty()) {
                RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        }); ProxyFixture g = ProxyFixture.start(service(RealServer.of("s1", server.address())),
                b -> b.timeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5),
                        Duration.ofMillis(400), Duration.ofSeconds(5), Duration.ofSeconds(1))));
                RawClient c = RawClient.connect(g.port())) {
            for (int i = 0; i < 4; i++) { // 4 x 250 ms of use, longer than the idle timeout in all
                assertThat(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).endsWith("\r\n\r\nok");
                assertThat(c.silentFor(250)).isTrue();
            }
            // the idle timeout (400 ms) is the only thing that closes it, within the client's 5 s read timeout
            assertThat(c.closedByPeer()).isTrue();
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void clientThatGoesAwayMidResponse_releasesTheLease() {
        try (RawBackend server = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n");
            byte[] block = new byte[65536];
            for (int i = 0; i < 1526; i++) {
                s.getOutputStream().write(block);
            }
        }); ProxyFixture g = ProxyFixture.start(service(RealServer.of("s1", server.address())))) {
            try (RawClient c = RawClient.connect(g.port())) {
                assertThat(RawClient.status(c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n").readHead())).isEqualTo(200);
            }
            g.assertNoLeaseHeld();
            assertThat(g.failures("pool", "s1")).isZero();
        }
    }

    @Test
    void bindingAnAddressInUse_throwsNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                NettyTransport transport = NettyTransport.create(1, true);
                DispatchEngine engine = DispatchEngine.create(dev.switchboard.api.LoadBalancer.builder()
                        .virtualService(service(RealServer.of("s1", "127.0.0.1:9")).build()).build())) {
            Address address = Address.parse("127.0.0.1:" + taken.getLocalPort());
            assertThatThrownBy(() -> HttpProxy.bind(transport, engine,
                    ListenerSettings.builder("web", address, Protocol.HTTP).build()))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining(address.toString());
        }
    }
}
