package dev.switchboard.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.tls.testing.TestPki;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The private key a real handshake gets from the key manager: on Conscrypt, Conscrypt's own native key (converted
 * once when the certificates are published, so no handshake parses a PKCS#8 encoding into a new BoringSSL key); on
 * the JDK provider, the very key that was loaded. Same after a reload.
 */
@Timeout(30)
class NativeKeyTest {

    private static TestPki.Issued ca;

    @BeforeAll
    static void certificates() {
        ca = TestPki.ca("Test CA");
    }

    /** Delegates to the context's key manager and records every private key it hands to the provider. */
    private static final class Recording extends X509ExtendedKeyManager {
        final List<PrivateKey> handedOut = new CopyOnWriteArrayList<>();
        private final X509ExtendedKeyManager delegate;

        Recording(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            PrivateKey key = delegate.getPrivateKey(alias);
            handedOut.add(key);
            return key;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }
    }

    private static TestPki.Issued leaf(String key, String name) {
        return TestPki.leaf(ca, key.equals("RSA") ? TestPki.rsa() : TestPki.ec(), java.time.Duration.ofDays(7), name);
    }

    /** The private scalar or exponent: the same key whatever its class. */
    private static java.math.BigInteger secret(PrivateKey key) {
        return key instanceof RSAPrivateKey rsa ? rsa.getPrivateExponent() : ((ECPrivateKey) key).getS();
    }

    private static PrivateKey handshakeAndTakeKey(ServerTlsContext tls, Recording recording, TlsProvider p,
            X509Certificate expectedLeaf) throws Exception {
        recording.handedOut.clear();
        try (TestServer server = new TestServer(tls::newEngine)) {
            TestClient.Seen seen = TestClient.exchange(TlsContexts.upstream(UpstreamTlsConfig.builder().insecure()
                    .provider(p).build()).newEngine("native.example.com", server.port()), server.port());
            assertThat(server.next().failure()).isNull();
            assertThat(seen.serverCertificate()).isEqualTo(expectedLeaf);
        }
        assertThat(recording.handedOut).as("keys the provider asked the key manager for").isNotEmpty();
        assertThat(recording.handedOut).as("one key per handshake").allMatch(k -> k == recording.handedOut.get(0));
        return recording.handedOut.get(0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"CONSCRYPT, RSA", "CONSCRYPT, EC", "JDK, RSA", "JDK, EC"})
    void keyHandedToTheEngine_isConscryptsNativeKeyOnConscrypt_theLoadedKeyOnJdk(TlsProvider p, String keyType)
            throws Exception {
        TestPki.Issued first = leaf(keyType, "native.example.com");
        TestPki.Issued second = leaf(keyType, "native.example.com");
        Recording[] recording = new Recording[1];
        ServerTlsContext tls = TlsContexts.server(ServerTlsConfig.builder(first.tls()).provider(p).build(),
                km -> recording[0] = new Recording(km));

        PrivateKey loaded = handshakeAndTakeKey(tls, recording[0], p, first.certificate());
        tls.reload(SniCertificates.of(second.tls()));
        PrivateKey reloaded = handshakeAndTakeKey(tls, recording[0], p, second.certificate());

        assertThat(first.keys().getPrivate().getClass().getName()).startsWith("sun.security.");
        if (p == TlsProvider.CONSCRYPT) {
            String nativeClass = keyType.equals("RSA") ? "org.conscrypt.OpenSSLRSAPrivateCrtKey"
                    : "org.conscrypt.OpenSSLECPrivateKey";
            assertThat(loaded.getClass().getName()).isEqualTo(nativeClass);
            assertThat(reloaded.getClass().getName()).isEqualTo(nativeClass);
            assertThat(Class.forName("org.conscrypt.OpenSSLKeyHolder").isInstance(loaded)).isTrue();
            assertThat(secret(loaded)).isEqualTo(secret(first.keys().getPrivate()));
            assertThat(secret(reloaded)).isEqualTo(secret(second.keys().getPrivate()));
        } else {
            assertThat(loaded).isSameAs(first.keys().getPrivate());
            assertThat(reloaded).isSameAs(second.keys().getPrivate());
        }
    }
}
