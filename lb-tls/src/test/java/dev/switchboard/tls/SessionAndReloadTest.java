package dev.switchboard.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.tls.testing.TestPki;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS 1.2 session-ID resumption and certificate reload, over loopback. */
@Timeout(30)
class SessionAndReloadTest {

    private static TestPki.Issued ca;

    @BeforeAll
    static void pki() {
        ca = TestPki.ca("Test CA");
    }

    private static UpstreamTls client(TlsProvider p) {
        return TlsContexts.upstream(UpstreamTlsConfig.builder().trustCertificates(List.of(ca.certificate()))
                .protocols("TLSv1.2").provider(p).build());
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void tls12Resumption_sameClientReconnects_sameSessionIdOnBothSides(TlsProvider p) throws Exception {
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(TestPki.leaf(ca, "mail.example.com").tls())
                .protocols("TLSv1.2").provider(p).build());
        UpstreamTls client = client(p);
        try (TestServer server = new TestServer(tls::newEngine)) {
            TestClient.Seen first = TestClient.exchange(client.newEngine("mail.example.com", server.port()),
                    server.port());
            TestServer.Seen firstOnServer = server.next();
            TestClient.Seen second = TestClient.exchange(client.newEngine("mail.example.com", server.port()),
                    server.port());
            TestServer.Seen secondOnServer = server.next();

            assertThat(first.protocol()).isEqualTo("TLSv1.2");
            assertThat(firstOnServer.sessionId()).matches("[0-9a-f]{64}");
            assertThat(first.sessionId()).isEqualTo(firstOnServer.sessionId());
            assertThat(secondOnServer.sessionId()).isEqualTo(firstOnServer.sessionId());
            assertThat(second.sessionId()).isEqualTo(first.sessionId());
            assertThat(second.creationTime()).as("resumed, not a new session").isEqualTo(first.creationTime());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void tls12Resumption_clientOnTheOtherProvider_sameSessionId(TlsProvider serverProvider) throws Exception {
        TlsProvider clientProvider = serverProvider == TlsProvider.JDK ? TlsProvider.CONSCRYPT : TlsProvider.JDK;
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(TestPki.leaf(ca, "mail.example.com").tls())
                .provider(serverProvider).build());   // offers TLS 1.3 too; the client limits itself to 1.2
        UpstreamTls client = client(clientProvider);
        try (TestServer server = new TestServer(tls::newEngine)) {
            TestClient.Seen first = TestClient.exchange(client.newEngine("mail.example.com", server.port()),
                    server.port());
            TestClient.Seen second = TestClient.exchange(client.newEngine("mail.example.com", server.port()),
                    server.port());

            assertThat(server.next().sessionId()).isEqualTo(first.sessionId()).isNotEmpty();
            assertThat(server.next().sessionId()).isEqualTo(first.sessionId());
            assertThat(second.creationTime()).isEqualTo(first.creationTime());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void tls12Resumption_otherClient_getsNewSessionId(TlsProvider p) throws Exception {
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(TestPki.leaf(ca, "mail.example.com").tls())
                .protocols("TLSv1.2").provider(p).build());
        try (TestServer server = new TestServer(tls::newEngine)) {
            TestClient.exchange(client(p).newEngine("mail.example.com", server.port()), server.port());
            TestClient.exchange(client(p).newEngine("mail.example.com", server.port()), server.port());

            assertThat(server.next().sessionId()).isNotEqualTo(server.next().sessionId());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void sessionIdFromWire_serverHelloParsed_equalsTheEngineSessionId(TlsProvider p) throws Exception {
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(TestPki.leaf(ca, "mail.example.com").tls())
                .protocols("TLSv1.2").provider(p).build());
        try (TestServer server = new TestServer(tls::newEngine)) {
            TestClient.Seen seen = TestClient.exchange(client(p)
                    .newEngine("mail.example.com", server.port()), server.port());

            HelloResult hello = TlsHellos.parseServerHello(seen.wire(), 0, seen.wire().length);
            assertThat(hello).isInstanceOf(HelloResult.ServerHello.class);
            assertThat(((HelloResult.ServerHello) hello).sessionId()).isEqualTo(server.next().sessionId());
            assertThat(((HelloResult.ServerHello) hello).selectedVersion()).isEqualTo(0x0303);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void reload_certificateFilesReplaced_newHandshakeGetsNewCertificate(TlsProvider p, @TempDir Path dir)
            throws Exception {
        TestPki.Issued before = TestPki.leaf(ca, "mail.example.com");
        Path pem = TestPki.write(dir.resolve("mail.pem"), TestPki.certificatePem(before.certificate()));
        Path key = TestPki.write(dir.resolve("mail.key"), TestPki.pkcs8Pem(before.keys().getPrivate()));
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(TlsCertificate.fromPem(pem, key))
                .provider(p).build());
        try (TestServer server = new TestServer(tls::newEngine)) {
            assertThat(serverCertificateSeenBy(client(p), server)).isEqualTo(before.certificate());

            TestPki.Issued after = TestPki.leaf(ca, "mail.example.com");
            TestPki.write(pem, TestPki.certificatePem(after.certificate()));
            TestPki.write(key, TestPki.traditionalPem(after.keys().getPrivate()));
            assertThat(serverCertificateSeenBy(client(p), server)).as("not reloaded yet")
                    .isEqualTo(before.certificate());

            tls.reload();

            assertThat(serverCertificateSeenBy(client(p), server)).isEqualTo(after.certificate());
            assertThat(tls.certificates().defaultCertificate().leaf()).isEqualTo(after.certificate());
        }
    }

    @Test
    void reload_brokenKeyFile_throwsNamingTheFileAndKeepsServing(@TempDir Path dir) throws Exception {
        TestPki.Issued before = TestPki.leaf(ca, "mail.example.com");
        Path pem = TestPki.write(dir.resolve("mail.pem"), TestPki.certificatePem(before.certificate()));
        Path key = TestPki.write(dir.resolve("mail.key"), TestPki.pkcs8Pem(before.keys().getPrivate()));
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(TlsCertificate.fromPem(pem, key)).build());
        TestPki.write(key, TestPki.pkcs8Pem(TestPki.ec().getPrivate()));   // a key of no certificate

        assertThatThrownBy(tls::reload)
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageStartingWith(key + ": the private key does not match the certificate in " + pem);
        try (TestServer server = new TestServer(tls::newEngine)) {
            assertThat(serverCertificateSeenBy(client(TlsProvider.CONSCRYPT), server))
                    .isEqualTo(before.certificate());
        }
    }

    @Test
    void reload_sniCertificates_swappedForNewHandshakes() throws Exception {
        TestPki.Issued first = TestPki.leaf(ca, "mail.example.com");
        TestPki.Issued second = TestPki.leaf(ca, "mail.example.com");
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(first.tls()).build());
        try (TestServer server = new TestServer(tls::newEngine)) {
            tls.reload(SniCertificates.of(second.tls()));

            assertThat(serverCertificateSeenBy(client(TlsProvider.CONSCRYPT), server)).isEqualTo(second.certificate());
        }
    }

    private static java.security.cert.X509Certificate serverCertificateSeenBy(UpstreamTls client, TestServer server)
            throws Exception {
        TestClient.Seen seen = TestClient.exchange(client.newEngine("mail.example.com", server.port()),
                server.port());
        server.next();
        return seen.serverCertificate();
    }
}
