package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.netty.testing.TunnelBackend;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.SniCertificates;
import dev.switchboard.tls.testing.TestPki;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** A tunnel behind TLS termination: the 101 and the relayed bytes travel inside the client's TLS session. */
class HttpProxyTunnelTlsTest {

    @Test
    void upgradeOverHttps_isTunnelledInsideTheClientsTls() throws Exception {
        TestPki.Issued ca = TestPki.ca("Tunnel Test CA");
        TestPki.Issued leaf = TestPki.leaf(ca, "chat.example.test");
        try (TunnelBackend backend = new TunnelBackend("a");
                ProxyFixture g = ProxyFixture.start(VirtualService.builder("chat").listen("127.0.0.1:8443")
                        .protocol(Protocol.HTTPS).upgrades("echo")
                        .subService(SubService.builder("pool").asDefault()
                                .realServer(RealServer.of("s1", backend.address())).build()),
                        b -> b.tls(ServerTlsConfig.builder(SniCertificates.builder(leaf.tls()).build()).build()))) {
            SSLSocket socket = (SSLSocket) TestPki.clientContext(ca, "TLS").getSocketFactory()
                    .createSocket("127.0.0.1", g.port());
            socket.startHandshake();
            try (RawClient c = new RawClient(socket)) {
                String head = c.send("GET /e HTTP/1.1\r\nHost: chat.example.test\r\nConnection: Upgrade\r\n"
                        + "Upgrade: echo\r\n\r\n").readHead();
                assertThat(RawClient.status(head)).isEqualTo(101);
                for (int i = 0; i < 50; i++) {
                    String line = "over tls " + i + "\n";
                    assertThat(c.send(line).readBody(line.length())).isEqualTo(line);
                }
                assertThat(backend.lastHead()).contains("x-forwarded-proto: https");
            }
            Eventually.until("tunnel closed", () -> backend.openConnections() == 0
                    && g.engine.stats().findRealServer("chat", "pool", "s1").orElseThrow().activeConnections() == 0);
        }
    }
}
