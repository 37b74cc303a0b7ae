package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.netty.testing.TunnelBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A thousand tunnels open at once through one gateway, then closed: every count back to zero. */
class HttpProxyTunnelLoadTest {

    private static final int TUNNELS = 1000;
    private static final byte[] UPGRADE = ("GET /e HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void thousandConcurrentTunnels_allRelay_andEveryCountReturnsToZero() throws Exception {
        try (TunnelBackend a = new TunnelBackend("a"); TunnelBackend b = new TunnelBackend("b");
                ProxyFixture gateway = ProxyFixture.start(VirtualService.builder("web").listen("127.0.0.1:8080")
                        .protocol(Protocol.HTTP).upgrades("echo")
                        .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("a", a.address()))
                                .realServer(RealServer.of("b", b.address())).build()), l -> l.accessLog(false))) {
            List<Socket> clients = new ArrayList<>(TUNNELS);
            try {
                for (int i = 0; i < TUNNELS; i++) {
                    Socket s = new Socket("127.0.0.1", gateway.port());
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(UPGRADE);
                    clients.add(s);
                }
                for (Socket s : clients) {
                    assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 101 ");
                }
                assertThat(stats(gateway, "a").openTunnels() + stats(gateway, "b").openTunnels()).isEqualTo(TUNNELS);
                assertThat(stats(gateway, "a").activeConnections() + stats(gateway, "b").activeConnections())
                        .isEqualTo(TUNNELS);
                assertThat(stats(gateway, "a").openTunnels()).as("round robin spreads them").isEqualTo(TUNNELS / 2);
                for (int i = 0; i < TUNNELS; i++) {
                    clients.get(i).getOutputStream().write(("ping " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                for (int i = 0; i < TUNNELS; i++) {
                    String expected = "ping " + i + "\n";
                    byte[] echoed = clients.get(i).getInputStream().readNBytes(expected.length());
                    assertThat(new String(echoed, StandardCharsets.US_ASCII)).isEqualTo(expected);
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            Eventually.until("every tunnel closed", Duration.ofSeconds(20), () ->
                    stats(gateway, "a").activeConnections() + stats(gateway, "b").activeConnections() == 0
                    && stats(gateway, "a").openTunnels() + stats(gateway, "b").openTunnels() == 0
                    && a.openConnections() + b.openConnections() == 0
                    && gateway.proxy.channels().openConnections() == 0);
            assertThat(gateway.proxy.channels().upstreamConnectionsOpened()).isEqualTo(TUNNELS);
            assertThat(stats(gateway, "a").failures() + stats(gateway, "b").failures()).isZero();
        }
    }

    private static RealServerStats stats(ProxyFixture gateway, String server) {
        return gateway.engine.stats().findRealServer("web", "pool", server).orElseThrow();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(128);
        int b;
        while ((b = in.read()) >= 0) {
            sb.append((char) b);
            int n = sb.length();
            if (n >= 4 && sb.charAt(n - 4) == '\r' && sb.charAt(n - 3) == '\n' && sb.charAt(n - 2) == '\r'
                    && sb.charAt(n - 1) == '\n') {
                break;
            }
        }
        return sb.toString();
    }
}
