package dev.switchboard.tls.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.tls.testing.TestPki;
import java.net.InetAddress;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server key manager on its own, handed a certificate set of the test's making (not the API's): what it
 * chooses, and which aliases stay resolvable across publications.
 */
class SniKeyManagerTest {

    private static CertifiedKey first;
    private static CertifiedKey mail;
    private static CertifiedKey replacement;

    /** Names to keys, else the default: enough of SNI selection for the key manager. */
    private record ByName(CertifiedKey defaultKey, Map<String, CertifiedKey> names) implements ServerCertificates {

        @Override
        public List<CertifiedKey> keys() {
            return Stream.concat(Stream.of(defaultKey), names.values().stream()).distinct().toList();
        }

        @Override
        public CertifiedKey select(String serverName) {
            return names.getOrDefault(serverName, defaultKey);
        }
    }

    @BeforeAll
    static void keys() {
        first = key(TestPki.selfSigned("default.example.com"));
        mail = key(TestPki.selfSigned("mail.example.com"));
        replacement = key(TestPki.selfSigned("default.example.com"));
    }

    @Test
    void chooseEngineServerAlias_noHandshake_defaultKeyWithItsChain() {
        SniKeyManager<ByName> manager = new SniKeyManager<>(new ByName(first, Map.of("mail.example.com", mail)), null);

        String alias = manager.chooseEngineServerAlias("EC", null, null);

        assertThat(alias).isNotNull();
        assertThat(manager.getPrivateKey(alias)).isSameAs(first.privateKey());
        assertThat(manager.getCertificateChain(alias)).containsExactlyElementsOf(first.chain());
        assertThat(manager.chooseEngineServerAlias("RSA", null, null)).isNull();
    }

    @Test
    void publish_twice_previousPublicationsAliasResolves_olderOneDoesNot() {
        SniKeyManager<ByName> manager = new SniKeyManager<>(new ByName(first, Map.of()), null);
        String firstAlias = manager.chooseEngineServerAlias("EC", null, null);

        ByName second = new ByName(replacement, Map.of());
        manager.publish(second);
        String secondAlias = manager.chooseEngineServerAlias("EC", null, null);

        assertThat(manager.certificates()).isSameAs(second);
        assertThat(secondAlias).isNotEqualTo(firstAlias);
        assertThat(manager.getPrivateKey(secondAlias)).isSameAs(replacement.privateKey());
        assertThat(manager.getPrivateKey(firstAlias)).as("a handshake that chose before the swap")
                .isSameAs(first.privateKey());

        manager.publish(new ByName(mail, Map.of()));

        assertThat(manager.getPrivateKey(firstAlias)).isNull();
        assertThat(manager.getPrivateKey(secondAlias)).isSameAs(replacement.privateKey());
    }

    @Test
    void handshake_clientSendsSni_serverPresentsTheSelectedKeysCertificate() throws Exception {
        SniKeyManager<ByName> manager = new SniKeyManager<>(new ByName(first, Map.of("mail.example.com", mail)), null);

        assertThat(handshake(manager, "mail.example.com")).isEqualTo(mail.chain().get(0));
        assertThat(handshake(manager, "other.example.com")).isEqualTo(first.chain().get(0));
    }

    /** A real handshake on 127.0.0.1 (JDK provider, TLS 1.3); the leaf certificate the client was shown. */
    private static Certificate handshake(SniKeyManager<?> manager, String serverName) throws Exception {
        SSLContext server = Providers.newJdkContext();
        server.init(new KeyManager[] {manager}, new TrustManager[] {new NoClientTrust()}, null);
        SSLContext client = Providers.newJdkContext();
        client.init(null, new TrustManager[] {new InsecureTrustManager()}, null);
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                    accepted.getInputStream().read();   // until the client closes
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setProtocols(new String[] {"TLSv1.3"});
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                Certificate leaf = socket.getSession().getPeerCertificates()[0];
                socket.close();
                served.get(10, TimeUnit.SECONDS);
                return leaf;
            }
        }
    }

    private static CertifiedKey key(TestPki.Issued issued) {
        return new CertifiedKey("test " + issued.cn(), "EC", issued.keys().getPrivate(), List.of(issued.certificate()));
    }
}
