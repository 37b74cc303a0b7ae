package dev.switchboard.netty;

import dev.switchboard.api.testing.Eventually;

import dev.switchboard.netty.testing.TcpBackend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.transport.NettyTransport;
import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionBudget;
import dev.switchboard.netty.limit.ConnectionLimiter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection limits on a tcp virtual service: a refused connection is closed at accept, before any byte. */
class TcpConnectionLimitsTest {

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

    private void start(ConnectionBudget budget, int maxConnections, int perClient) throws IOException {
        backend = TcpBackend.echo("echo");
        LoadBalancer model = LoadBalancer.builder().virtualService(VirtualService.builder("imap")
                .listen("127.0.0.1:993").protocol(Protocol.TCP).subService(SubService.builder("pool").asDefault()
                        .realServer(RealServer.of("s1", backend.address())).build()).build()).build();
        engine = DispatchEngine.create(model);
        transport = NettyTransport.create(2, true, budget);
        proxy = TcpProxy.bind(transport, engine, ListenerSettings.builder("imap", Address.parse("127.0.0.1:0"),
                Protocol.TCP).limits(Limits.DEFAULTS.withConnectionLimits(maxConnections, perClient)).build());
    }

    private ConnectionLimiter limiter() {
        return transport.connectionBudget().findLimiter("imap").orElseThrow();
    }

    private Socket connectFrom(String from) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.localAddress().getPort(),
                InetAddress.getByName(from), 0);
        s.setSoTimeout(5_000);
        sockets.add(s);
        return s;
    }

    /** Sends a line and reads the real server's echo of it. */
    private static void assertEchoes(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        byte[] echo = s.getInputStream().readNBytes(line.length() + 1);
        assertThat(new String(echo, StandardCharsets.US_ASCII)).isEqualTo(line + "\n");
    }

    /** Whether the gateway closed {@code s} without sending anything. */
    private static boolean closedWithoutAByte(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }


    @Test
    void perClientLimitReached_nextConnection_closedAtAcceptAndOthersRelayed() throws Exception {
        start(ConnectionBudget.of(100), 0, 2);
        Socket first = connectFrom("127.0.0.1");
        Socket second = connectFrom("127.0.0.1");
        assertEchoes(first, "one");
        assertEchoes(second, "two");

        assertThat(closedWithoutAByte(connectFrom("127.0.0.1"))).isTrue();
        assertEchoes(connectFrom("127.0.0.2"), "another client");
        assertEchoes(first, "one again");
        assertEchoes(second, "two again");
        assertThat(backend.accepted()).as("the refused connection reached no real server").isEqualTo(3);

        first.close();
        Eventually.until("the closed connection gives its slot back", Duration.ofSeconds(10),
                () -> limiter().heldBy(InetAddress.getLoopbackAddress()) == 1);
        assertEchoes(connectFrom("127.0.0.1"), "after a close");
        assertThat(limiter().refused(Admission.REFUSED_CLIENT)).isEqualTo(1);
        assertThat(limiter().refusedTotal()).isEqualTo(1);
    }

    @Test
    void serviceLimitReached_nextConnection_closedAtAcceptAndRecoversAfterAClose() throws Exception {
        start(ConnectionBudget.of(100), 2, 0);
        Socket first = connectFrom("127.0.0.1");
        Socket second = connectFrom("127.0.0.2");
        assertEchoes(first, "one");
        assertEchoes(second, "two");

        assertThat(closedWithoutAByte(connectFrom("127.0.0.3"))).isTrue();
        assertEchoes(first, "still relayed");

        second.close();
        Eventually.until("the closed connection gives its slot back", Duration.ofSeconds(10), () -> limiter().open() == 1);
        assertEchoes(connectFrom("127.0.0.3"), "after a close");
        assertThat(limiter().refused(Admission.REFUSED_SERVICE)).isEqualTo(1);
    }

    @Test
    void gatewayCapReached_nextConnection_closedAtAcceptAndEverySlotGivenBackAtTheEnd() throws Exception {
        start(ConnectionBudget.of(1), 0, 0);
        Socket first = connectFrom("127.0.0.1");
        assertEchoes(first, "one");
        assertThat(closedWithoutAByte(connectFrom("127.0.0.2"))).isTrue();
        assertThat(limiter().refused(Admission.REFUSED_GATEWAY)).isEqualTo(1);

        first.close();
        Eventually.until("every slot given back", Duration.ofSeconds(10), () -> transport.connectionBudget().open() == 0 && limiter().open() == 0);
        assertEchoes(connectFrom("127.0.0.2"), "after a close");
    }

    @Test
    void limitsUpdatedOnTheLiveListener_update_appliesToNewConnections() throws Exception {
        start(ConnectionBudget.of(100), 1, 0);
        Socket first = connectFrom("127.0.0.1");
        assertEchoes(first, "one");
        assertThat(closedWithoutAByte(connectFrom("127.0.0.2"))).isTrue();

        limiter().update(ListenerSettings.builder("imap", Address.parse("127.0.0.1:0"), Protocol.TCP)
                .limits(Limits.DEFAULTS.withConnectionLimits(2, 0)).build());
        assertEchoes(connectFrom("127.0.0.2"), "two");
        assertThat(closedWithoutAByte(connectFrom("127.0.0.3"))).isTrue();
        assertEchoes(first, "one again");
        assertThat(limiter().maxConnections()).isEqualTo(2);
        assertThat(limiter().refused(Admission.REFUSED_SERVICE)).isEqualTo(2);
    }
}
