package dev.switchboard.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.tls.testing.TestPki;
import java.util.EnumMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real handshakes over loopback: SNI selection, default, ALPN, provider in use, on Conscrypt and on the JDK. */
@Timeout(30)
class ServerTlsHandshakeTest {

    private static TestPki.Issued ca;
    private static TestPki.Issued defaultLeaf;
    private static TestPki.Issued mailLeaf;
    private static TestPki.Issued wildcardLeaf;
    private static final Map<TlsProvider, ServerTlsContext> servers = new EnumMap<>(TlsProvider.class);

    @BeforeAll
    static void certificates() {
        ca = TestPki.ca("Test CA");
        defaultLeaf = TestPki.leaf(ca, "default.example.net");
        mailLeaf = TestPki.leaf(ca, "mail.example.com");
        wildcardLeaf = TestPki.leaf(ca, "*.example.com");
        SniCertificates sni = SniCertificates.builder(defaultLeaf.tls())
                .add(mailLeaf.tls())
                .add(wildcardLeaf.tls())
                .build();
        for (TlsProvider p : new TlsProvider[] {TlsProvider.CONSCRYPT, TlsProvider.JDK}) {
            servers.put(p, TlsContexts.server(ServerTlsConfig.builder(sni).provider(p)
                    .applicationProtocols("h2", "http/1.1").build()));
        }
    }

    private static UpstreamTls verifyingClient(TlsProvider p) {
        return TlsContexts.upstream(UpstreamTlsConfig.builder().trustCertificates(java.util.List.of(ca.certificate()))
                .provider(p).build());
    }

    private static UpstreamTls insecureClient(TlsProvider p) {
        return TlsContexts.upstream(UpstreamTlsConfig.builder().insecure().provider(p).build());
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void sni_exactName_servesThatCertificate(TlsProvider p) throws Exception {
        try (TestServer server = new TestServer(servers.get(p)::newEngine)) {
            TestClient.Seen client = TestClient.exchange(verifyingClient(p).newEngine("mail.example.com",
                    server.port()), server.port());
            TestServer.Seen seen = server.next();

            assertThat(client.serverCertificate()).isEqualTo(mailLeaf.certificate());
            assertThat(client.reply()).isEqualTo("pong ping");
            assertThat(seen.requestedServerName()).isEqualTo("mail.example.com");
            assertThat(seen.failure()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void sni_nameUnderWildcard_servesWildcardCertificate(TlsProvider p) throws Exception {
        try (TestServer server = new TestServer(servers.get(p)::newEngine)) {
            TestClient.Seen client = TestClient.exchange(verifyingClient(p).newEngine("owa.example.com",
                    server.port()), server.port());

            assertThat(client.serverCertificate()).isEqualTo(wildcardLeaf.certificate());
            assertThat(server.next().requestedServerName()).isEqualTo("owa.example.com");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void sni_unknownName_servesDefaultCertificate(TlsProvider p) throws Exception {
        try (TestServer server = new TestServer(servers.get(p)::newEngine)) {
            TestClient.Seen client = TestClient.exchange(insecureClient(p).newEngine("www.other.org",
                    server.port()), server.port());

            assertThat(client.serverCertificate()).isEqualTo(defaultLeaf.certificate());
            assertThat(server.next().requestedServerName()).isEqualTo("www.other.org");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void sni_missing_servesDefaultCertificate(TlsProvider p) throws Exception {
        try (TestServer server = new TestServer(servers.get(p)::newEngine)) {
            TestClient.Seen client = TestClient.exchange(insecureClient(p).newEngine("127.0.0.1", server.port()),
                    server.port());

            assertThat(client.serverCertificate()).isEqualTo(defaultLeaf.certificate());
            assertThat(server.next().requestedServerName()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void alpn_clientOffersBoth_serverPreferenceWins(TlsProvider p) throws Exception {
        UpstreamTls client = TlsContexts.upstream(UpstreamTlsConfig.builder().insecure().provider(p)
                .applicationProtocols("http/1.1", "h2").build());
        try (TestServer server = new TestServer(servers.get(p)::newEngine)) {
            TestClient.Seen seen = TestClient.exchange(client.newEngine("mail.example.com", server.port()),
                    server.port());

            assertThat(seen.applicationProtocol()).isEqualTo("h2");
            assertThat(server.next().applicationProtocol()).isEqualTo("h2");
        }
    }

    @Test
    void conscrypt_available_runsTheServerAndNegotiatesX25519() throws Exception {
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(defaultLeaf.tls()).build());   // AUTO
        SSLEngine[] serverEngine = new SSLEngine[1];
        try (TestServer server = new TestServer(() -> serverEngine[0] = tls.newEngine())) {
            TestClient.Seen seen = TestClient.exchange(insecureClient(TlsProvider.CONSCRYPT)
                    .newEngine("default.example.net", server.port()), server.port());
            server.next();

            assertThat(TlsContexts.conscryptAvailable()).isTrue();
            assertThat(tls.providerName()).isEqualTo("Conscrypt");
            assertThat(tls.sslContext().getProvider().getName()).isEqualTo("Conscrypt");
            assertThat(Conscrypt.isConscrypt(serverEngine[0])).isTrue();
            assertThat(Conscrypt.getGroupName(serverEngine[0])).isEqualTo("X25519");
            assertThat(seen.protocol()).isEqualTo("TLSv1.3");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void cipherSuites_onlyATls13Suite_stillServesTheCertificate(TlsProvider p) throws Exception {
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(mailLeaf.tls()).provider(p)
                .protocols("TLSv1.3").cipherSuites("TLS_AES_128_GCM_SHA256").build());
        try (TestServer server = new TestServer(tls::newEngine)) {
            TestClient.Seen seen = TestClient.exchange(insecureClient(p).newEngine("mail.example.com", server.port()),
                    server.port());

            assertThat(seen.serverCertificate()).isEqualTo(mailLeaf.certificate());
            assertThat(server.next().failure()).isNull();
        }
    }

    @Test
    void namedGroups_configuredOnConscrypt_reachTheEngines() throws Exception {
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(defaultLeaf.tls()).namedGroups("P-384")
                .provider(TlsProvider.CONSCRYPT).build());
        UpstreamTls client = TlsContexts.upstream(UpstreamTlsConfig.builder().insecure().namedGroups("P-384", "P-256")
                .provider(TlsProvider.CONSCRYPT).build());
        SSLEngine[] serverEngine = new SSLEngine[1];
        try (TestServer server = new TestServer(() -> serverEngine[0] = tls.newEngine())) {
            SSLEngine engine = client.newEngine("default.example.net", server.port());
            TestClient.exchange(engine, server.port());
            server.next();

            assertThat(Conscrypt.getGroupName(engine)).isEqualTo("P-384");
            assertThat(Conscrypt.getGroupName(serverEngine[0])).isEqualTo("P-384");
        }
    }

    @Test
    void jdkProvider_chosen_runsOnSunJsse() {
        assertThat(servers.get(TlsProvider.JDK).providerName()).isEqualTo("SunJSSE");
        assertThat(Conscrypt.isConscrypt(servers.get(TlsProvider.JDK).newEngine())).isFalse();
    }
}
