package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Cidr;
import dev.switchboard.api.ConnectionView;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.netty.transport.NettyTransport;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PROXY protocol headers sent to real servers, seen byte for byte by a raw-socket server. */
class ProxyProtocolSendTest {

    private static final byte[] V2_SIGNATURE = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a");

    private final NettyTransport transport = NettyTransport.create(2, true);
    private final ProxyProtocolBackend backend;
    private final List<ConnectionView> views = new CopyOnWriteArrayList<>();
    private DispatchEngine engine;
    private GatewayListener listener;

    ProxyProtocolSendTest() {
        backend = ProxyProtocolBackend.http();
    }

    @AfterEach
    void tearDown() {
        if (listener != null) {
            listener.close(Duration.ZERO).join();
        }
        if (engine != null) {
            engine.close();
        }
        transport.close();
        backend.close();
    }

    private int start(Protocol protocol, ProxyProtocol version, ProxyProtocolBackend server) {
        return start(protocol, version, server, "");
    }

    /** With {@code trustedProxy} not empty, the virtual service also accepts the PROXY protocol from it. */
    private int start(Protocol protocol, ProxyProtocol version, ProxyProtocolBackend server, String trustedProxy) {
        SubService pool = SubService.builder("pool").asDefault().proxyProtocol(version)
                .realServer(RealServer.of("rs1", server.address())).build();
        VirtualService.Builder vs = VirtualService.builder("vs").listen("127.0.0.1:80").protocol(protocol)
                .subService(pool);
        ListenerSettings.Builder settings = ListenerSettings.builder("vs", Address.parse("127.0.0.1:0"), protocol);
        if (!trustedProxy.isEmpty()) {
            vs.trustedProxy(trustedProxy).acceptProxyProtocol(true);
            settings.trustedProxies(List.of(Cidr.parse(trustedProxy))).acceptProxyProtocol(true);
        }
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(vs.build()).build());
        return bind(protocol, settings.build());
    }

    private int bind(Protocol protocol, ListenerSettings settings) {
        listener = protocol == Protocol.TCP ? TcpProxy.bind(transport, view -> {
            views.add(view);
            return engine.dispatch("vs", view);
        }, settings) : HttpProxy.bind(transport, engine, settings);
        return listener.localAddress().getPort();
    }

    private static String v1(RawClient client, int gatewayPort) {
        return "PROXY TCP4 127.0.0.1 127.0.0.1 " + client.socket.getLocalPort() + " " + gatewayPort + "\r\n";
    }

    private static byte[] v2(RawClient client, int gatewayPort) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
        b.put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
        b.putShort((short) client.socket.getLocalPort()).putShort((short) gatewayPort);
        return b.array();
    }

    @Test
    void tcpVirtualService_v1_headerIsTheFirstLineBeforeTheClientsBytes() throws Exception {
        try (ProxyProtocolBackend echo = ProxyProtocolBackend.echo()) {
            int port = start(Protocol.TCP, ProxyProtocol.V1, echo);
            try (RawClient client = RawClient.connect(port)) {
                client.send("hello\n");
                assertThat(client.readBody(6)).isEqualTo("hello\n");
                assertThat(echo.connections).hasSize(1);
                assertThat(echo.connections.get(0).headerText()).isEqualTo(v1(client, port));
            }
            assertNoLeaseHeld();
        }
    }

    @Test
    void tcpVirtualService_v2_headerIsTheBinaryProxyBlockWithTheClientsAddresses() throws Exception {
        try (ProxyProtocolBackend echo = ProxyProtocolBackend.echo()) {
            int port = start(Protocol.TCP, ProxyProtocol.V2, echo);
            try (RawClient client = RawClient.connect(port)) {
                client.send("ping");
                assertThat(client.readBody(4)).isEqualTo("ping");
                assertThat(echo.connections.get(0).header()).isEqualTo(v2(client, port));
            }
            assertNoLeaseHeld();
        }
    }

    @Test
    void tcpVirtualService_acceptsAndSends_theCarriedClientIsInTheHeaderSentOn() throws Exception {
        try (ProxyProtocolBackend echo = ProxyProtocolBackend.echo()) {
            int port = start(Protocol.TCP, ProxyProtocol.V1, echo, "127.0.0.1");
            byte[] in = ProxyProtocolAcceptTest.v2(0x21, ipv6("2001:db8::7", 4444, port), new byte[0]);
            try (RawClient client = RawClient.connect(port)) {
                client.send(in).send("hello\n");
                assertThat(client.readBody(6)).isEqualTo("hello\n");
                assertThat(echo.connections.get(0).headerText())
                        .isEqualTo("PROXY TCP6 2001:db8:0:0:0:0:0:7 ::ffff:127.0.0.1 4444 " + port + "\r\n");
                // the engine saw the carried client too (source-ip persistence and hashing key on it)
                assertThat(views).singleElement().extracting(ConnectionView::sourceAddress)
                        .isEqualTo(InetAddress.getByName("2001:db8::7"));
            }
            assertNoLeaseHeld();
        }
    }

    @Test
    void tcpVirtualService_acceptFromAnUntrustedPeer_closedBeforeDispatch() throws Exception {
        try (ProxyProtocolBackend echo = ProxyProtocolBackend.echo()) {
            int port = start(Protocol.TCP, ProxyProtocol.V1, echo, "10.0.0.0/8");
            try (RawClient client = RawClient.connect(port)) {
                client.send("PROXY TCP4 192.0.2.7 127.0.0.1 5000 993\r\nhello\n");
                assertThat(client.closedByPeer()).isTrue();
            }
            Eventually.until("counted", () -> transport.connectionBudget().findLimiter("vs").orElseThrow()
                    .proxyProtocol().rejected() == 1);
            assertThat(echo.connections).isEmpty();
            Eventually.until("no connection left", () -> ((TcpProxy) listener).openConnections() == 0);
        }
    }

    private static byte[] ipv6(String source, int sourcePort, int destinationPort) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(36);
        b.put(InetAddress.getByName(source).getAddress()).put(InetAddress.getByName("2001:db8::1").getAddress());
        return b.putShort((short) sourcePort).putShort((short) destinationPort).array();
    }

    @Test
    void tcpVirtualService_serverSaysNone_noHeaderAtAll() throws Exception {
        try (ProxyProtocolBackend echo = ProxyProtocolBackend.echo()) {
            SubService pool = SubService.builder("pool").asDefault().proxyProtocol(ProxyProtocol.V2)
                    .realServer(RealServer.builder("rs1", echo.address()).proxyProtocol(ProxyProtocol.NONE).build())
                    .build();
            engine = DispatchEngine.create(LoadBalancer.builder().virtualService(VirtualService.builder("vs")
                    .listen("127.0.0.1:80").protocol(Protocol.TCP).subService(pool).build()).build());
            listener = TcpProxy.bind(transport, engine,
                    ListenerSettings.builder("vs", Address.parse("127.0.0.1:0"), Protocol.TCP).build());
            try (RawClient client = RawClient.connect(listener.localAddress().getPort())) {
                client.send("hello\n");
                assertThat(client.readBody(6)).isEqualTo("hello\n");
                assertThat(echo.connections.get(0).headerText()).isEmpty();
            }
        }
    }

    @Test
    void httpVirtualService_v1_everyUpstreamConnectionOpensWithItsOwnClientsHeader() {
        int port = start(Protocol.HTTP, ProxyProtocol.V1, backend);
        try (RawClient a = RawClient.connect(port); RawClient b = RawClient.connect(port)) {
            String a1 = get(a);
            String b1 = get(b);
            String a2 = get(a);
            String b2 = get(b);
            assertThat(a1).isEqualTo(a2); // keep-alive reuse, for the same client only
            assertThat(b1).isEqualTo(b2);
            assertThat(a1).isNotEqualTo(b1);
            assertThat(backend.connections).hasSize(2);
            assertThat(connection(a1).headerText()).isEqualTo(v1(a, port));
            assertThat(connection(b1).headerText()).isEqualTo(v1(b, port));
            assertThat(connection(a1).requests()).hasSize(2);
        }
        assertNoLeaseHeld();
        Eventually.until("the clients' upstream connections closed with them", () -> backend.open.get() == 0);
    }

    @Test
    void httpVirtualService_v2_manyClientsNeverShareAnUpstreamConnection() {
        int port = start(Protocol.HTTP, ProxyProtocol.V2, backend);
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                clients.add(RawClient.connect(port));
            }
            for (int round = 0; round < 3; round++) {
                for (RawClient c : clients) {
                    String conn = get(c);
                    assertThat(connection(conn).header()).isEqualTo(v2(c, port));
                }
            }
            assertThat(backend.connections).hasSize(clients.size());
            assertThat(backend.connections).allSatisfy(c -> assertThat(c.requests()).hasSize(3));
        } finally {
            clients.forEach(RawClient::close);
        }
        assertNoLeaseHeld();
        Eventually.until("the clients' upstream connections closed with them", () -> backend.open.get() == 0);
    }

    @Test
    void httpVirtualService_none_clientsShareThePool() {
        int port = start(Protocol.HTTP, ProxyProtocol.NONE, backend);
        for (int i = 0; i < 6; i++) {
            try (RawClient c = RawClient.connect(port)) {
                get(c);
            }
        }
        assertThat(backend.connections).hasSizeLessThanOrEqualTo(2); // one pool per event loop, two loops
        assertThat(backend.connections).allSatisfy(c -> assertThat(c.headerText()).isEmpty());
    }

    /** One GET on {@code client}'s keep-alive connection; the body names the real server's connection. */
    private static String get(RawClient client) {
        client.send("GET /x HTTP/1.1\r\nHost: example.test\r\n\r\n");
        String head = client.readHead();
        assertThat(RawClient.status(head)).isEqualTo(200);
        return client.readBody(RawClient.contentLength(head));
    }

    private ProxyProtocolBackend.Connection connection(String body) {
        int n = Integer.parseInt(body.substring("conn=".length()));
        return backend.connections.stream().filter(c -> c.number() == n).findFirst().orElseThrow();
    }

    private void assertNoLeaseHeld() {
        Eventually.until("no lease held", () -> engine.stats().virtualServices().stream()
                .flatMap(v -> v.subServices().stream()).flatMap(s -> s.realServers().stream())
                .mapToInt(RealServerStats::activeConnections).sum() == 0);
    }
}
