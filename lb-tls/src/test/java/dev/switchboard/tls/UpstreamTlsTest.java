package dev.switchboard.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.tls.testing.TestPki;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Re-encryption towards real servers over loopback: trust, hostname verification, insecure mode, mutual TLS. */
@Timeout(30)
class UpstreamTlsTest {

    private static TestPki.Issued ca;
    private static TestPki.Issued otherCa;
    private static TestPki.Issued realServer;
    private static ServerTlsContext server;

    @BeforeAll
    static void pki() {
        ca = TestPki.ca("Internal CA");
        otherCa = TestPki.ca("Other CA");
        realServer = TestPki.leaf(ca, "ex01.corp.example.com");
        server = TlsContexts.server(ServerTlsConfig.builder(realServer.tls()).build());
    }

    private static UpstreamTls trusting(TestPki.Issued authority, TlsProvider p) {
        return TlsContexts.upstream(UpstreamTlsConfig.builder().trustCertificates(List.of(authority.certificate()))
                .provider(p).build());
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void upstream_trustedCaAndRightName_handshakesWithVerification(TlsProvider p) throws Exception {
        UpstreamTls upstream = trusting(ca, p);
        try (TestServer real = new TestServer(server::newEngine)) {
            SSLEngine engine = upstream.newEngine("ex01.corp.example.com", real.port());
            TestClient.Seen seen = TestClient.exchange(engine, real.port());

            assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
            assertThat(seen.serverCertificate()).isEqualTo(realServer.certificate());
            assertThat(seen.reply()).isEqualTo("pong ping");
            assertThat(real.next().requestedServerName()).isEqualTo("ex01.corp.example.com");
            assertThat(upstream.providerName()).isEqualTo(p == TlsProvider.JDK ? "SunJSSE" : "Conscrypt");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void upstream_certificateForAnotherName_failsHostnameVerification(TlsProvider p) throws Exception {
        UpstreamTls upstream = trusting(ca, p);
        try (TestServer real = new TestServer(server::newEngine)) {
            assertThatThrownBy(() -> TestClient.exchange(upstream.newEngine("ex02.corp.example.com", real.port()),
                    real.port()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("ex02.corp.example.com");
            assertThat(real.next().failure()).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void upstream_certificateFromUntrustedCa_fails(TlsProvider p) throws Exception {
        UpstreamTls upstream = trusting(otherCa, p);
        try (TestServer real = new TestServer(server::newEngine)) {
            assertThatThrownBy(() -> TestClient.exchange(upstream.newEngine("ex01.corp.example.com", real.port()),
                    real.port()))
                    .isInstanceOf(SSLHandshakeException.class);
            real.next();
        }
    }

    @Test
    void upstream_systemRoots_rejectPrivateCa() throws Exception {
        UpstreamTls upstream = TlsContexts.upstream(UpstreamTlsConfig.ofDefaults());
        try (TestServer real = new TestServer(server::newEngine)) {
            assertThatThrownBy(() -> TestClient.exchange(upstream.newEngine("ex01.corp.example.com", real.port()),
                    real.port()))
                    .isInstanceOf(SSLHandshakeException.class);
            real.next();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void upstream_insecure_acceptsAnyCertificateAndNameAndWarns(TlsProvider p) throws Exception {
        UpstreamTls upstream;
        try (LogCapture log = new LogCapture()) {
            upstream = TlsContexts.upstream(UpstreamTlsConfig.builder().insecure().provider(p).build());
            assertThat(log.text()).contains("WARN").contains("INSECURE upstream TLS").contains("NOT verified");
        }
        try (TestServer real = new TestServer(server::newEngine)) {
            SSLEngine engine = upstream.newEngine("some.other.name", real.port());
            TestClient.Seen seen = TestClient.exchange(engine, real.port());

            assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
            assertThat(seen.serverCertificate()).isEqualTo(realServer.certificate());
            assertThat(real.next().requestedServerName()).isEqualTo("some.other.name");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "JDK"})
    void upstream_clientCertificate_presentedToServerThatRequiresOne(TlsProvider p) throws Exception {
        TestPki.Issued client = TestPki.leaf(ca, "lb01.corp.example.com");
        UpstreamTls upstream = TlsContexts.upstream(UpstreamTlsConfig.builder()
                .trustCertificates(List.of(ca.certificate())).clientCertificate(client.tls()).provider(p).build());
        SSLContext mutual = mutualTlsServer();
        try (TestServer real = new TestServer(() -> {
            SSLEngine e = mutual.createSSLEngine();
            e.setUseClientMode(false);
            e.setNeedClientAuth(true);
            return e;
        })) {
            TestClient.exchange(upstream.newEngine("ex01.corp.example.com", real.port()), real.port());

            assertThat(real.next().clientCertificates()).containsExactly(client.certificate());
        }
    }

    /** A plain JDK server that requires a client certificate issued by the internal CA. */
    private static SSLContext mutualTlsServer() throws Exception {
        char[] pw = "pw".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", realServer.keys().getPrivate(), pw,
                new java.security.cert.Certificate[] {realServer.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pw);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    @Test
    void trustCertificates_fileWithoutCertificate_throwsNamingTheFile(@TempDir Path dir) {
        Path bundle = TestPki.write(dir.resolve("ca.pem"), TestPki.pkcs8Pem(ca.keys().getPrivate()));

        assertThatThrownBy(() -> UpstreamTlsConfig.builder().trustCertificates(bundle))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageStartingWith(bundle + ": no CERTIFICATE block (found: PRIVATE KEY)");
    }
}
