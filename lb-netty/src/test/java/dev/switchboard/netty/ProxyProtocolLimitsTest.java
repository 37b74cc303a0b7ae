package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Cidr;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionLimiter;
import dev.switchboard.netty.limit.ProxyProtocolCounters.Reason;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.testing.AccessLogCapture;
import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-client connection limits of an http virtual service behind a trusted layer-4 proxy that sends the PROXY
 * protocol: each connection counts as the carried client's from its header on (an idle keep-alive connection too),
 * so two clients behind one proxy address each get their own limit.
 */
class ProxyProtocolLimitsTest {

    private final Backend backend = Backend.echo("web");

    @AfterEach
    void tearDown() {
        backend.close();
    }

    /** Trusts and reads PROXY headers from 127.0.0.1 only; {@code perClient} connections per client. */
    private ProxyFixture start(int perClient) {
        return start(perClient, false);
    }

    private ProxyFixture start(int perClient, boolean h2c) {
        VirtualService.Builder vs = VirtualService.builder("edge").listen("127.0.0.1:80").protocol(Protocol.HTTP)
                .trustedProxy("127.0.0.1/32").acceptProxyProtocol(true)
                .subService(SubService.builder("web").asDefault()
                        .realServer(RealServer.of("w1", backend.address())).build());
        return ProxyFixture.start(vs, b -> b.trustedProxies(List.of(Cidr.parse("127.0.0.1/32")))
                .acceptProxyProtocol(true).accessLog(true).limits(Limits.DEFAULTS.withConnectionLimits(0, perClient))
                .http2Cleartext(h2c));
    }

    private static ConnectionLimiter limiter(ProxyFixture g) {
        return g.transport.connectionBudget().findLimiter("edge").orElseThrow();
    }

    private static RawClient from(ProxyFixture g, String from) {
        try {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), g.port(), InetAddress.getByName(from), 0);
            s.setSoTimeout(5_000);
            return new RawClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RawClient proxied(ProxyFixture g, String client) {
        return from(g, "127.0.0.1").send("PROXY TCP4 " + client + " 127.0.0.1 40000 80\r\n");
    }

    private static int get(RawClient c, String path) {
        return RawClient.status(c.send("GET " + path + " HTTP/1.1\r\nHost: example.test\r\n\r\n").readResponse());
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void twoClientsBehindOneProxy_eachHasItsOwnLimit_idleConnectionsCount() throws Exception {
        try (ProxyFixture g = start(1); AccessLogCapture log = new AccessLogCapture()) {
            RawClient a = proxied(g, "192.0.2.7");
            RawClient b = proxied(g, "192.0.2.8");
            assertThat(get(a, "/a")).isEqualTo(200); // answered: the connection stays open, idle
            assertThat(get(b, "/b")).isEqualTo(200);
            assertThat(limiter(g).heldBy(ip("192.0.2.7"))).isEqualTo(1);
            assertThat(limiter(g).heldBy(ip("192.0.2.8"))).isEqualTo(1);
            assertThat(limiter(g).heldBy(ip("127.0.0.1"))).as("the proxy itself holds no client slot").isZero();

            RawClient aAgain = proxied(g, "192.0.2.7");
            assertThat(get(aAgain, "/a2")).as("client a over its limit").isEqualTo(429);
            assertThat(aAgain.closedByPeer()).isTrue();
            assertThat(log.next("refused=")).contains("client=192.0.2.7", "\"GET /a2\"", "maxConnectionsPerClient");
            assertThat(get(b, "/b2")).as("client b still served").isEqualTo(200);
            assertThat(get(proxied(g, "192.0.2.9"), "/c")).isEqualTo(200);
            assertThat(get(a, "/a3")).isEqualTo(200);
            assertThat(limiter(g).refused(Admission.REFUSED_CLIENT)).isEqualTo(1);
            assertThat(backend.server.getRequestCount()).as("the refused request reached no real server")
                    .isEqualTo(5);

            a.close();
            Eventually.until("client a's slot given back", () -> limiter(g).heldBy(ip("192.0.2.7")) == 0);
            assertThat(get(proxied(g, "192.0.2.7"), "/a4")).isEqualTo(200);
        }
    }

    @Test
    void listenerThatAlsoOffersH2_anHttp11ConnectionCountsItsCarriedClientToo() throws Exception {
        try (ProxyFixture g = start(1, true)) { // HTTP/1.1 chosen by the preface, after the connection went active
            RawClient a = proxied(g, "192.0.2.7");
            assertThat(get(a, "/a")).isEqualTo(200);
            assertThat(limiter(g).heldBy(ip("192.0.2.7"))).isEqualTo(1);
            assertThat(limiter(g).heldBy(ip("127.0.0.1"))).as("the proxy itself holds no client slot").isZero();
            assertThat(get(proxied(g, "192.0.2.7"), "/a2")).as("client a over its limit").isEqualTo(429);
            assertThat(get(proxied(g, "192.0.2.8"), "/b")).as("client b served").isEqualTo(200);
        }
    }

    @Test
    void v2Header_countsTheCarriedClientToo() throws Exception {
        try (ProxyFixture g = start(1)) {
            byte[] header = ProxyProtocolAcceptTest.v2(0x11, ProxyProtocolAcceptTest.ipv4(new int[] {192, 0, 2, 9},
                    new int[] {127, 0, 0, 1}, 4444, 80), new byte[0]);
            RawClient first = from(g, "127.0.0.1").send(header);
            assertThat(get(first, "/1")).isEqualTo(200);
            RawClient second = from(g, "127.0.0.1").send(header);
            assertThat(get(second, "/2")).isEqualTo(429);
            assertThat(limiter(g).heldBy(ip("192.0.2.9"))).isEqualTo(1);
        }
    }

    @Test
    void localCommand_theTrustedProxyIsTheClient_countedPerRequestAsBefore() throws Exception {
        try (ProxyFixture g = start(1)) {
            byte[] local = new byte[16];
            ByteBuffer.wrap(local).put(ProxyProtocolAcceptTest.v2(0x00, new byte[0], new byte[0]), 0, 12)
                    .put((byte) 0x20).put((byte) 0x00).putShort((short) 0);
            RawClient one = from(g, "127.0.0.1").send(local);
            RawClient two = from(g, "127.0.0.1").send(local);
            assertThat(get(one, "/1")).isEqualTo(200);
            assertThat(get(two, "/2")).as("the proxy's connections are not counted per client").isEqualTo(200);
            assertThat(limiter(g).heldBy(ip("127.0.0.1"))).isZero();
        }
    }

    @Test
    void untrustedSender_stillClosed_andHoldsNoSlotOfTheClientItNames() throws Exception {
        try (ProxyFixture g = start(1)) {
            RawClient untrusted = from(g, "127.0.0.2").send("PROXY TCP4 192.0.2.7 127.0.0.1 40000 80\r\n");
            assertThat(untrusted.closedByPeer()).isTrue();
            Eventually.until("counted as untrusted",
                    () -> limiter(g).proxyProtocol().rejected(Reason.UNTRUSTED) == 1);
            assertThat(limiter(g).heldBy(ip("192.0.2.7"))).isZero();
            assertThat(get(proxied(g, "192.0.2.7"), "/ok")).isEqualTo(200);
            assertThat(backend.server.getRequestCount()).isEqualTo(1);
            Eventually.until("the untrusted sender's slot given back",
                    () -> limiter(g).heldBy(ip("127.0.0.2")) == 0);
        }
    }
}
