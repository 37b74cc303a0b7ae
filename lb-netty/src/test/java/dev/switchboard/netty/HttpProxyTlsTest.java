package dev.switchboard.netty;

import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.SniCertificates;
import dev.switchboard.tls.UpstreamTlsConfig;
import dev.switchboard.tls.testing.TestPki;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpProxyTlsTest {

    private static TestPki.Issued ca;
    private static TestPki.Issued mail;
    private static TestPki.Issued owa;

    @BeforeAll
    static void certificates() {
        ca = TestPki.ca("Gateway Test CA");
        mail = TestPki.leaf(ca, "mail.example.test");
        owa = TestPki.leaf(ca, "owa.example.test");
    }

    private static ServerTlsConfig.Builder serverTls() {
        return ServerTlsConfig.builder(SniCertificates.builder(mail.tls()).add(owa.tls()).build());
    }

    private static VirtualService.Builder https(PersistenceMode persistence, String... servers) {
        SubService.Builder pool = SubService.builder("pool").asDefault();
        for (int i = 0; i < servers.length; i++) {
            pool.realServer(RealServer.of("s" + (i + 1), servers[i]));
        }
        return VirtualService.builder("mail").listen("127.0.0.1:8443").protocol(Protocol.HTTPS)
                .scheduling(SchedulingMethod.ROUND_ROBIN).persistence(Persistence.of(persistence))
                .subService(pool.build());
    }

    /** A TLS connection to the gateway, with {@code sni} (none when empty). */
    private static RawClient connect(SSLContext context, int port, String sni) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        if (!sni.isEmpty()) {
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            socket.setSSLParameters(p);
        }
        socket.startHandshake();
        return new RawClient(socket);
    }

    private static String peerName(RawClient c) throws IOException {
        X509Certificate peer = (X509Certificate) ((SSLSocket) c.socket).getSession().getPeerCertificates()[0];
        return peer.getSubjectX500Principal().getName();
    }

    @Test
    void httpsTermination_choosesTheCertificateBySni_andForwardsAsHttps() throws Exception {
        SSLContext client = TestPki.clientContext(ca, "TLS");
        try (Backend backend = Backend.echo("web");
                ProxyFixture g = ProxyFixture.start(https(PersistenceMode.NONE, backend.address()),
                        b -> b.tls(serverTls().build()))) {
            try (RawClient c = connect(client, g.port(), "owa.example.test")) {
                assertThat(peerName(c)).isEqualTo("CN=owa.example.test");
                String response = c.send("GET /owa/ HTTP/1.1\r\nHost: owa.example.test\r\n\r\n").readResponse();
                assertThat(RawClient.status(response)).isEqualTo(200);
                assertThat(response).endsWith("web /owa/");
            }
            // a fresh client context: the first one would resume the owa session, which keeps its certificate
            try (RawClient c = connect(TestPki.clientContext(ca, "TLS"), g.port(), "")) {
                assertThat(peerName(c)).isEqualTo("CN=mail.example.test");
                assertThat(RawClient.status(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse()))
                        .isEqualTo(200);
            }
            RecordedRequest seen = backend.take();
            assertThat(seen.getHeaders().get("X-Forwarded-Proto")).isEqualTo("https");
            assertThat(seen.getHeaders().get("Forwarded")).endsWith(";proto=https");
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void sslSessionIdPersistence_sendsResumedSessionsToTheSameServer() throws Exception {
        SSLContext client = TestPki.clientContext(ca, "TLSv1.2");
        try (Backend a = Backend.echo("a"); Backend b = Backend.echo("b");
                ProxyFixture g = ProxyFixture.start(https(PersistenceMode.SSL_SESSION_ID, a.address(), b.address()),
                        s -> s.tls(serverTls().protocols("TLSv1.2").sessionTickets(false).build()))) {
            List<String> servers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                try (RawClient c = connect(client, g.port(), "mail.example.test")) {
                    String response = c.send("GET /n HTTP/1.1\r\nHost: mail.example.test\r\n\r\n").readResponse();
                    servers.add(response.substring(response.length() - 4, response.length() - 3));
                }
            }
            assertThat(servers).containsOnly(servers.get(0));
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void reEncryption_toAnHttpsRealServer_verifiesItsCertificate_andReusesTheConnection() throws Exception {
        TestPki.Issued backendCert = TestPki.leaf(ca, "127.0.0.1");
        Backend secure = Backend.echoHttps("secure", TestPki.serverContext(backendCert).getSocketFactory());
        try (secure; ProxyFixture g = ProxyFixture.start(https(PersistenceMode.NONE, secure.address())
                        .protocol(Protocol.HTTP), b -> b.upstreamTls(UpstreamTlsConfig.builder()
                        .trustCertificates(List.of(ca.certificate())).build()));
                RawClient c = RawClient.connect(g.port())) {
            for (int i = 0; i < 3; i++) {
                String response = c.send("GET /s" + i + " HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
                assertThat(RawClient.status(response)).isEqualTo(200);
                assertThat(response).endsWith("secure /s" + i);
            }
            RecordedRequest seen = secure.take();
            assertThat(seen.getHandshake()).isNotNull();
            assertThat(g.proxy.channels().upstreamConnectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void reEncryption_toAServerWithAnUntrustedCertificate_is502() throws Exception {
        TestPki.Issued stranger = TestPki.leaf(TestPki.ca("Other CA"), "127.0.0.1");
        Backend secure = Backend.echoHttps("secure", TestPki.serverContext(stranger).getSocketFactory());
        try (secure; ProxyFixture g = ProxyFixture.start(https(PersistenceMode.NONE, secure.address())
                        .protocol(Protocol.HTTP), b -> b.upstreamTls(UpstreamTlsConfig.builder()
                        .trustCertificates(List.of(ca.certificate())).build()));
                RawClient c = RawClient.connect(g.port())) {
            String response = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(RawClient.status(response)).isEqualTo(502);
            g.assertNoLeaseHeld();
        }
    }
}
