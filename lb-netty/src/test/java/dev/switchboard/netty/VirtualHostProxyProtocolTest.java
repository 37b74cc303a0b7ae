package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Cidr;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionLimiter;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.netty.transport.NettyTransport;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.SniCertificates;
import dev.switchboard.tls.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * A shared https address whose virtual services accept the PROXY protocol: the header comes before the ClientHello,
 * is read once, and the SNI choice, the certificate and the client address all follow.
 */
class VirtualHostProxyProtocolTest {

    private static final TestPki.Issued CA = TestPki.ca("Shared PROXY CA");

    private static VirtualService vs(String name, String server, String... hostNames) {
        return VirtualService.builder(name).listen("127.0.0.1:0").protocol(Protocol.HTTPS).hostNames(hostNames)
                .trustedProxy("127.0.0.1/32").acceptProxyProtocol(true)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("s", server)).build())
                .build();
    }

    private static ListenerSettings settings(VirtualService vs, TestPki.Issued cert) {
        return settings(vs, cert, 0);
    }

    private static ListenerSettings settings(VirtualService vs, TestPki.Issued cert, int perClient) {
        return ListenerSettings.builder(vs.name(), Address.parse("127.0.0.1:0"), Protocol.HTTPS)
                .trustedProxies(List.of(Cidr.parse("127.0.0.1/32"))).acceptProxyProtocol(true)
                .limits(Limits.DEFAULTS.withConnectionLimits(0, perClient))
                .tls(ServerTlsConfig.builder(SniCertificates.builder(cert.tls()).build()).build()).build();
    }

    /** Sends {@code proxyHeader} in plain text, then speaks TLS with {@code sni} on the same connection. */
    private static RawClient proxiedTls(int port, String proxyHeader, String sni) throws IOException {
        Socket plain = new Socket("127.0.0.1", port);
        plain.getOutputStream().write(proxyHeader.getBytes(StandardCharsets.US_ASCII));
        plain.getOutputStream().flush();
        SSLSocket socket = (SSLSocket) TestPki.clientContext(CA, "TLS").getSocketFactory()
                .createSocket(plain, "127.0.0.1", port, true);
        socket.setSoTimeout(5_000);
        SSLParameters p = socket.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(sni)));
        socket.setSSLParameters(p);
        socket.startHandshake();
        return new RawClient(socket);
    }

    @Test
    void sharedHttpsAddress_proxyHeaderBeforeClientHello_choosesBySniAndCarriesTheClient() throws Exception {
        TestPki.Issued owaCert = TestPki.leaf(CA, "owa.example.test");
        TestPki.Issued defaultCert = TestPki.leaf(CA, "default.test");
        try (Backend owa = Backend.echo("owa"); Backend fallback = Backend.echo("fallback")) {
            VirtualService owaVs = vs("owa", owa.address(), "owa.example.test");
            VirtualService defaultVs = vs("fallback", fallback.address());
            DispatchEngine engine = DispatchEngine.create(LoadBalancer.builder().virtualService(owaVs)
                    .virtualService(defaultVs).build());
            NettyTransport transport = NettyTransport.create(2, true);
            VirtualHostListener listener = VirtualHostListener.bind(transport, engine,
                    List.of(settings(owaVs, owaCert), settings(defaultVs, defaultCert)));
            try {
                int port = listener.localAddress().getPort();
                try (RawClient c = proxiedTls(port, "PROXY TCP4 192.0.2.7 127.0.0.1 51234 443\r\n",
                        "owa.example.test")) {
                    X509Certificate peer = (X509Certificate) ((SSLSocket) c.socket).getSession()
                            .getPeerCertificates()[0];
                    assertThat(peer.getSubjectX500Principal().getName()).contains("owa.example.test");
                    String response = c.send("GET /owa/ HTTP/1.1\r\nHost: owa.example.test\r\n\r\n")
                            .readResponse();
                    assertThat(response).startsWith("HTTP/1.1 200").contains("owa /owa/");
                    assertThat(owa.take().getHeaders().get("X-Forwarded-For")).isEqualTo("192.0.2.7");
                }
                // without the header the connection is closed before TLS: the ClientHello is not a PROXY header
                try (Socket raw = new Socket("127.0.0.1", port)) {
                    raw.setSoTimeout(5_000);
                    raw.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(raw.getInputStream().read()).isEqualTo(-1);
                }
            } finally {
                listener.close(Duration.ZERO).join();
                engine.close();
                transport.close();
            }
        }
    }

    @Test
    void sharedHttpsAddress_perClientLimit_countsEachCarriedClient_afterTheSniChoice() throws Exception {
        TestPki.Issued owaCert = TestPki.leaf(CA, "owa.example.test");
        try (Backend owa = Backend.echo("owa")) {
            VirtualService owaVs = vs("owa", owa.address(), "owa.example.test");
            DispatchEngine engine = DispatchEngine.create(LoadBalancer.builder().virtualService(owaVs).build());
            NettyTransport transport = NettyTransport.create(2, true);
            VirtualHostListener listener = VirtualHostListener.bind(transport, engine,
                    List.of(settings(owaVs, owaCert, 1)));
            try {
                int port = listener.localAddress().getPort();
                String request = "GET /owa/ HTTP/1.1\r\nHost: owa.example.test\r\n\r\n";
                try (RawClient a = proxiedTls(port, "PROXY TCP4 192.0.2.7 127.0.0.1 51234 443\r\n",
                        "owa.example.test");
                        RawClient b = proxiedTls(port, "PROXY TCP4 192.0.2.8 127.0.0.1 51235 443\r\n",
                                "owa.example.test");
                        RawClient again = proxiedTls(port, "PROXY TCP4 192.0.2.7 127.0.0.1 51236 443\r\n",
                                "owa.example.test")) {
                    assertThat(RawClient.status(a.send(request).readResponse())).isEqualTo(200);
                    assertThat(RawClient.status(b.send(request).readResponse())).isEqualTo(200);
                    assertThat(RawClient.status(again.send(request).readResponse())).as("192.0.2.7's second")
                            .isEqualTo(429);
                    assertThat(RawClient.status(a.send(request).readResponse())).isEqualTo(200);
                    ConnectionLimiter limiter = transport.connectionBudget().findLimiter("owa").orElseThrow();
                    assertThat(limiter.heldBy(InetAddress.getByName("192.0.2.7"))).isEqualTo(1);
                    assertThat(limiter.refused(Admission.REFUSED_CLIENT)).isEqualTo(1);
                }
            } finally {
                listener.close(Duration.ZERO).join();
                engine.close();
                transport.close();
            }
        }
    }
}
