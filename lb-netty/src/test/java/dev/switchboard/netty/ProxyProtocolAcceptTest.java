package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Cidr;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.netty.limit.ProxyProtocolCounters;
import dev.switchboard.netty.limit.ProxyProtocolCounters.Reason;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.settings.Timeouts;
import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.SniCertificates;
import dev.switchboard.tls.testing.TestPki;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PROXY protocol headers read from clients of an http(s) virtual service: trusted, refused, malformed. */
class ProxyProtocolAcceptTest {

    private static final byte[] V2_SIGNATURE = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a");
    private static final Timeouts FAST_HEAD = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMillis(400), 500,
            Duration.ofSeconds(20));

    private final Backend proxied = Backend.echo("proxied");
    private final Backend direct = Backend.echo("direct");

    @AfterEach
    void tearDown() {
        proxied.close();
        direct.close();
    }

    /** Requests from 192.0.2.0/24 go to {@code proxied}, the rest to {@code direct}; PROXY only from 127.0.0.1. */
    private ProxyFixture start(String trusted, UnaryOperator<ListenerSettings.Builder> more) {
        VirtualService.Builder vs = VirtualService.builder("edge").listen("127.0.0.1:80").protocol(Protocol.HTTP)
                .trustedProxy(trusted).acceptProxyProtocol(true)
                .subService(SubService.builder("proxied").matchAny(ContentRule.source("192.0.2.0/24"))
                        .realServer(RealServer.of("p1", proxied.address())).build())
                .subService(SubService.builder("direct").asDefault()
                        .realServer(RealServer.of("d1", direct.address())).build());
        return ProxyFixture.start(vs, b -> more.apply(b.trustedProxies(List.of(Cidr.parse(trusted)))
                .acceptProxyProtocol(true).timeouts(FAST_HEAD)));
    }

    private static ProxyProtocolCounters counters(ProxyFixture g) {
        return g.transport.connectionBudget().findLimiter("edge").orElseThrow().proxyProtocol();
    }

    private static String get(RawClient c) {
        String response = c.send("GET /where HTTP/1.1\r\nHost: example.test\r\n\r\n").readResponse();
        assertThat(RawClient.status(response)).isEqualTo(200);
        return response;
    }

    /** A v2 header: PROXY over TCP, {@code addresses} (12 bytes for IPv4, 36 for IPv6), then {@code tlvs}. */
    static byte[] v2(int family, byte[] addresses, byte[] tlvs) {
        ByteBuffer b = ByteBuffer.allocate(16 + addresses.length + tlvs.length);
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) family).putShort((short) (addresses.length + tlvs.length));
        return b.put(addresses).put(tlvs).array();
    }

    static byte[] ipv4(int[] src, int[] dst, int srcPort, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(12);
        for (int x : src) {
            b.put((byte) x);
        }
        for (int x : dst) {
            b.put((byte) x);
        }
        return b.putShort((short) srcPort).putShort((short) dstPort).array();
    }

    @Test
    void v1FromTrustedPeer_carriedAddressIsTheClientForRulesAndForwardedHeaders() {
        try (ProxyFixture g = start("127.0.0.1", b -> b)) {
            try (RawClient c = RawClient.connect(g.port())) {
                c.send("PROXY TCP4 192.0.2.7 127.0.0.1 51234 80\r\n");
                assertThat(get(c)).endsWith("proxied /where");
                assertThat(get(c)).endsWith("proxied /where"); // every request of the connection
            }
            RecordedRequest seen = proxied.take();
            assertThat(seen.getHeaders().get("X-Forwarded-For")).isEqualTo("192.0.2.7");
            assertThat(seen.getHeaders().get("Forwarded")).startsWith("for=192.0.2.7;");
            g.assertNoLeaseHeld();
            assertThat(counters(g).rejected()).isZero();
        }
    }

    @Test
    void v2WithTlvsFromTrustedPeer_addressesBelievedTlvsIgnored_bytesAfterTheHeaderInTheSameWrite() {
        try (ProxyFixture g = start("127.0.0.1", b -> b)) {
            byte[] tlvs = {0x04, 0x00, 0x03, 'a', 'b', 'c', 0x05, 0x00, 0x02, 'i', 'd'}; // NOOP, UNIQUE_ID
            byte[] header = v2(0x11, ipv4(new int[] {192, 0, 2, 9}, new int[] {127, 0, 0, 1}, 4444, 80), tlvs);
            byte[] request = "GET /where HTTP/1.1\r\nHost: example.test\r\n\r\n".getBytes();
            ByteBuffer both = ByteBuffer.allocate(header.length + request.length).put(header).put(request);
            try (RawClient c = RawClient.connect(g.port())) {
                String response = c.send(both.array()).readResponse();
                assertThat(response).endsWith("proxied /where");
            }
            assertThat(proxied.take().getHeaders().get("X-Forwarded-For")).isEqualTo("192.0.2.9");
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void v2LocalCommand_thePeerStaysTheClient() {
        try (ProxyFixture g = start("127.0.0.1", b -> b)) {
            byte[] local = new byte[16];
            ByteBuffer.wrap(local).put(V2_SIGNATURE).put((byte) 0x20).put((byte) 0x00).putShort((short) 0);
            try (RawClient c = RawClient.connect(g.port())) {
                assertThat(get(c.send(local))).endsWith("direct /where");
            }
            assertThat(direct.take().getHeaders().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void sourceIpPersistence_keysOnTheCarriedAddress() {
        VirtualService.Builder vs = VirtualService.builder("edge").listen("127.0.0.1:80").protocol(Protocol.HTTP)
                .trustedProxy("127.0.0.1").acceptProxyProtocol(true).scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(Persistence.of(PersistenceMode.SOURCE_IP))
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("p1", proxied.address()))
                        .realServer(RealServer.of("d1", direct.address())).build());
        try (ProxyFixture g = ProxyFixture.start(vs, b -> b.trustedProxies(List.of(Cidr.parse("127.0.0.1")))
                .acceptProxyProtocol(true))) {
            List<String> clients = List.of("192.0.2.7", "198.51.100.9", "203.0.113.5");
            Map<String, Set<String>> servers = new HashMap<>();
            for (int i = 0; i < 4; i++) {
                for (String client : clients) {
                    try (RawClient c = RawClient.connect(g.port())) {
                        c.send("PROXY TCP4 " + client + " 127.0.0.1 5000 80\r\n");
                        String server = get(c).endsWith("proxied /where") ? "proxied" : "direct";
                        servers.computeIfAbsent(client, k -> new HashSet<>()).add(server);
                    }
                }
            }
            assertThat(servers.values()).allSatisfy(s -> assertThat(s).hasSize(1)); // each client sticks
            // one entry per carried client: keyed on the peer (127.0.0.1) there would be one in all
            assertThat(g.engine.stats().findVirtualService("edge").orElseThrow().persistenceEntries())
                    .isEqualTo(clients.size());
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void untrustedPeer_closedBeforeAnyByteIsReadAndCounted() {
        try (ProxyFixture g = start("10.0.0.0/8", b -> b)) {
            try (RawClient c = RawClient.connect(g.port())) {
                c.send("PROXY TCP4 192.0.2.7 127.0.0.1 51234 80\r\n");
                assertThat(c.closedByPeer()).isTrue();
            }
            assertCounted(g, Reason.UNTRUSTED);
            assertThat(proxied.server.getRequestCount() + direct.server.getRequestCount()).isZero();
        }
    }

    @Test
    void malformedHeaders_closedAndCounted() {
        try (ProxyFixture g = start("127.0.0.1", b -> b)) {
            for (String bad : List.of("PROXY TCP4 192.0.2.300 127.0.0.1 1 80\r\n", "PROXY TCP4 192.0.2.7\r\n",
                    "GET / HTTP/1.1\r\nHost: example.test\r\n\r\n", "PROXY " + "x".repeat(200) + "\r\n")) {
                try (RawClient c = RawClient.connect(g.port())) {
                    c.send(bad);
                    assertThat(c.closedByPeer()).as(bad).isTrue();
                }
            }
            byte[] v2BadFamily = v2(0x71, new byte[0], new byte[0]);
            try (RawClient c = RawClient.connect(g.port())) {
                assertThat(c.send(v2BadFamily).closedByPeer()).isTrue();
            }
            Eventually.until("5 malformed", () -> counters(g).rejected(Reason.MALFORMED) == 5);
            assertThat(counters(g).rejected()).isEqualTo(5);
            assertThat(proxied.server.getRequestCount() + direct.server.getRequestCount()).isZero();
            Eventually.until("no client connection left", () -> g.proxy.channels().openConnections() == 0);
        }
    }

    @Test
    void headerThatNeverCompletes_closedAtTheHeadTimeout_andCounted() {
        try (ProxyFixture g = start("127.0.0.1", b -> b)) {
            try (RawClient c = RawClient.connect(g.port())) {
                c.send("PROXY TCP4 192.0.2.7 ");
                long start = System.nanoTime();
                assertThat(c.closedByPeer()).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            }
            assertCounted(g, Reason.TIMEOUT);
        }
    }

    @Test
    void clientGoneBeforeItsHeader_countedAsClosed() throws Exception {
        try (ProxyFixture g = start("127.0.0.1", b -> b)) {
            try (Socket s = new Socket("127.0.0.1", g.port())) {
                s.getOutputStream().write("PROXY TCP4".getBytes());
            }
            assertCounted(g, Reason.CLOSED);
            Eventually.until("no client connection left", () -> g.proxy.channels().openConnections() == 0);
        }
    }

    @Test
    void https_headerComesBeforeTheTlsHandshake() throws Exception {
        TestPki.Issued ca = TestPki.ca("Proxy Protocol CA");
        TestPki.Issued leaf = TestPki.leaf(ca, "edge.example.test");
        VirtualService.Builder vs = VirtualService.builder("edge").listen("127.0.0.1:443").protocol(Protocol.HTTPS)
                .trustedProxy("127.0.0.1").acceptProxyProtocol(true)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("p1", proxied.address()))
                        .build());
        try (ProxyFixture g = ProxyFixture.start(vs, b -> b.trustedProxies(List.of(Cidr.parse("127.0.0.1")))
                .acceptProxyProtocol(true)
                .tls(ServerTlsConfig.builder(SniCertificates.builder(leaf.tls()).build()).build()))) {
            Socket plain = new Socket("127.0.0.1", g.port());
            plain.getOutputStream().write("PROXY TCP4 192.0.2.7 127.0.0.1 51234 443\r\n".getBytes());
            SSLContext context = TestPki.clientContext(ca, "TLS");
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "edge.example.test",
                    g.port(), true);
            tls.startHandshake();
            try (RawClient c = new RawClient(tls)) {
                assertThat(get(c)).endsWith("proxied /where");
            }
            RecordedRequest seen = proxied.take();
            assertThat(seen.getHeaders().get("X-Forwarded-For")).isEqualTo("192.0.2.7");
            assertThat(seen.getHeaders().get("X-Forwarded-Proto")).isEqualTo("https");
            g.assertNoLeaseHeld();
        }
    }

    private static void assertCounted(ProxyFixture g, Reason reason) {
        Eventually.until(reason + " counted", () -> counters(g).rejected(reason) == 1);
        assertThat(counters(g).rejected()).isEqualTo(1);
    }
}
