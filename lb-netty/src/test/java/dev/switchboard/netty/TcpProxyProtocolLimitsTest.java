package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Cidr;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionBudget;
import dev.switchboard.netty.limit.ConnectionLimiter;
import dev.switchboard.netty.limit.ProxyProtocolCounters.Reason;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.testing.TcpBackend;
import dev.switchboard.netty.transport.NettyTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-client connection limits of a tcp virtual service behind a trusted layer-4 proxy that sends the PROXY
 * protocol: each carried client has its own count (taken once its header is read), not the proxy's address.
 */
class TcpProxyProtocolLimitsTest {

    private final List<Socket> sockets = new ArrayList<>();
    private TcpBackend backend;
    private NettyTransport transport;
    private DispatchEngine engine;
    private TcpProxy proxy;

    @AfterEach
    void tearDown() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (proxy != null) {
            proxy.close(Duration.ZERO).join();
        }
        if (engine != null) {
            engine.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** Trusts 127.0.0.1 only; {@code perClient} connections per client. */
    private void start(int perClient) throws IOException {
        backend = TcpBackend.echo("echo");
        LoadBalancer model = LoadBalancer.builder().virtualService(VirtualService.builder("imap")
                .listen("127.0.0.1:993").protocol(Protocol.TCP).trustedProxy("127.0.0.1/32")
                .acceptProxyProtocol(true).subService(SubService.builder("pool").asDefault()
                        .realServer(RealServer.of("s1", backend.address())).build()).build()).build();
        engine = DispatchEngine.create(model);
        transport = NettyTransport.create(2, true, ConnectionBudget.of(100));
        proxy = TcpProxy.bind(transport, engine, ListenerSettings.builder("imap", Address.parse("127.0.0.1:0"),
                Protocol.TCP).trustedProxies(List.of(Cidr.parse("127.0.0.1/32"))).acceptProxyProtocol(true)
                .limits(Limits.DEFAULTS.withConnectionLimits(0, perClient)).build());
    }

    private ConnectionLimiter limiter() {
        return transport.connectionBudget().findLimiter("imap").orElseThrow();
    }

    /** A connection from {@code from} that opens with a v1 header carrying {@code client}. */
    private Socket proxied(String from, String client) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.localAddress().getPort(),
                InetAddress.getByName(from), 0);
        s.setSoTimeout(5_000);
        sockets.add(s);
        s.getOutputStream().write(("PROXY TCP4 " + client + " 127.0.0.1 40000 993\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private static void assertEchoes(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        byte[] echo = s.getInputStream().readNBytes(line.length() + 1);
        assertThat(new String(echo, StandardCharsets.US_ASCII)).isEqualTo(line + "\n");
    }

    private static boolean closedWithoutAByte(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void twoClientsBehindOneProxy_eachHasItsOwnLimit_theOneOverItRefusedTheOtherServed() throws Exception {
        start(1);
        Socket a = proxied("127.0.0.1", "192.0.2.7");
        Socket b = proxied("127.0.0.1", "192.0.2.8");
        assertEchoes(a, "client a");
        assertEchoes(b, "client b");
        assertThat(limiter().heldBy(ip("192.0.2.7"))).isEqualTo(1);
        assertThat(limiter().heldBy(ip("192.0.2.8"))).isEqualTo(1);
        assertThat(limiter().heldBy(ip("127.0.0.1"))).as("the proxy itself holds no client slot").isZero();

        Socket aAgain = proxied("127.0.0.1", "192.0.2.7");
        assertThat(closedWithoutAByte(aAgain)).as("client a over its limit").isTrue();
        assertEchoes(b, "client b still served");
        assertEchoes(proxied("127.0.0.1", "192.0.2.9"), "a third client");
        assertEchoes(a, "client a's first connection still served");
        assertThat(limiter().refused(Admission.REFUSED_CLIENT)).isEqualTo(1);
        assertThat(backend.accepted()).as("the refused connection reached no real server").isEqualTo(3);

        a.close();
        Eventually.until("client a's slot given back", Duration.ofSeconds(10),
                () -> limiter().heldBy(ip("192.0.2.7")) == 0);
        assertEchoes(proxied("127.0.0.1", "192.0.2.7"), "client a after a close");
    }

    @Test
    void perClientLimitOfTwo_eachCarriedClientGetsTwo() throws Exception {
        start(2);
        for (String client : List.of("192.0.2.7", "192.0.2.8")) {
            assertEchoes(proxied("127.0.0.1", client), client + " first");
            assertEchoes(proxied("127.0.0.1", client), client + " second");
            assertThat(closedWithoutAByte(proxied("127.0.0.1", client))).as(client + " third").isTrue();
        }
        assertThat(limiter().refused(Admission.REFUSED_CLIENT)).isEqualTo(2);
        Eventually.until("the refused connections give their service slots back", Duration.ofSeconds(10),
                () -> limiter().open() == 4);
    }

    @Test
    void untrustedSender_stillClosed_andHoldsNoSlotOfTheClientItNames() throws Exception {
        start(1);
        Socket untrusted = proxied("127.0.0.2", "192.0.2.7");
        assertThat(closedWithoutAByte(untrusted)).isTrue();
        Eventually.until("counted as untrusted", Duration.ofSeconds(10),
                () -> limiter().proxyProtocol().rejected(Reason.UNTRUSTED) == 1);
        assertThat(limiter().heldBy(ip("192.0.2.7"))).isZero();
        assertEchoes(proxied("127.0.0.1", "192.0.2.7"), "the named client comes through the trusted proxy");
        Eventually.until("the untrusted sender's slots given back", Duration.ofSeconds(10),
                () -> limiter().heldBy(ip("127.0.0.2")) == 0 && limiter().open() == 1);
    }
}
