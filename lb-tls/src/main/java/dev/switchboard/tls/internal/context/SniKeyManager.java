package dev.switchboard.tls.internal.context;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server key manager: picks the certificate by the SNI of the handshake in progress from the currently
 * published {@link ServerCertificates}, which {@link #publish} swaps (certificate reload); the API hands in its own
 * view of its SNI certificate set, {@code S}, and gets it back from {@link #certificates()}. The TLS stack asks for an
 * alias first and for the key and chain of that alias afterwards; an alias names one certificate of one
 * publication ({@code sb<generation>-<index>}), and the previous publication stays resolvable so a handshake that
 * straddles a swap completes with the certificate it chose.
 *
 * <p>On Conscrypt the private keys are converted once to Conscrypt's native keys, so that no handshake re-encodes
 * them. Thread-safe: handshakes read one volatile reference; {@link #publish} is synchronized.
 *
 * @param <S> the caller's certificate set
 */
public final class SniKeyManager<S extends ServerCertificates> extends X509ExtendedKeyManager {

    private static final Logger log = LoggerFactory.getLogger(SniKeyManager.class);

    private record Prepared(String alias, String keyType, PrivateKey key, X509Certificate[] chain) {
    }

    private record Published<S>(S certificates, Map<CertifiedKey, Prepared> byKey, Map<String, Prepared> byAlias,
            Map<String, Prepared> previousByAlias) {
    }

    private final Provider nativeKeys;
    private long generation;
    private volatile Published<S> published;

    /**
     * @param certificates the first publication
     * @param nativeKeys Conscrypt's provider to convert keys with, or {@code null} to keep the keys as they are
     */
    public SniKeyManager(S certificates, Provider nativeKeys) {
        this.nativeKeys = nativeKeys;
        publish(certificates);
    }

    /** Makes {@code certificates} the ones new handshakes choose from. */
    public synchronized void publish(S certificates) {
        long g = ++generation;
        Map<CertifiedKey, Prepared> byKey = new IdentityHashMap<>();
        Map<String, Prepared> byAlias = new HashMap<>();
        List<CertifiedKey> all = certificates.keys();
        for (int i = 0; i < all.size(); i++) {
            CertifiedKey c = all.get(i);
            Prepared p = new Prepared("sb" + g + "-" + i, c.keyType(), convert(c), c.chainArray());
            byKey.put(c, p);
            byAlias.put(p.alias(), p);
        }
        Published<S> before = published;
        published = new Published<>(certificates, byKey, Map.copyOf(byAlias),
                before == null ? Map.of() : before.byAlias());
    }

    /** The certificates new handshakes choose from. */
    public S certificates() {
        return published.certificates();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (Prepared p : published.byAlias().values()) {
            if (matches(keyType, p)) {
                aliases.add(p.alias());
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Prepared p = find(alias);
        return p == null ? null : p.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Prepared p = find(alias);
        return p == null ? null : p.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    private String choose(String keyType, SSLSession handshake) {
        Published<S> current = published;
        CertifiedKey key = current.certificates().select(serverName(handshake));
        Prepared p = current.byKey().get(key);
        return p != null && matches(keyType, p) ? p.alias() : null;
    }

    private Prepared find(String alias) {
        if (alias == null) {
            return null;
        }
        Published<S> current = published;
        Prepared p = current.byAlias().get(alias);
        return p != null ? p : current.previousByAlias().get(alias);
    }

    private static boolean matches(String keyType, Prepared p) {
        return p.keyType().equals(keyType) || "RSASSA-PSS".equals(keyType) && p.key().getAlgorithm().equals(keyType);
    }

    /** The SNI host name of the handshake in progress, {@code ""} when none was sent. */
    static String serverName(SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession)) {
            return "";
        }
        for (SNIServerName name : ((ExtendedSSLSession) handshake).getRequestedServerNames()) {
            if (name instanceof SNIHostName) {
                return ((SNIHostName) name).getAsciiName();
            }
            if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                try {
                    return new SNIHostName(name.getEncoded()).getAsciiName();
                } catch (IllegalArgumentException e) {
                    return "";
                }
            }
        }
        return "";
    }

    /**
     * The certificate's key in Conscrypt's native form ({@code OpenSSLRSAPrivateCrtKey}, {@code OpenSSLECPrivateKey},
     * which hold a BoringSSL {@code EVP_PKEY}), or the key itself on the JDK provider. Handed a JDK key, Conscrypt
     * builds a new BoringSSL key from its PKCS#8 encoding on every handshake: about 55 us, 10% of an RSA-2048
     * server handshake here (docs/benchmarks.md, section TLS).
     */
    private PrivateKey convert(CertifiedKey certificate) {
        PrivateKey key = certificate.privateKey();
        if (nativeKeys == null || !(key.getAlgorithm().equals("RSA") || key.getAlgorithm().equals("EC"))) {
            return key;
        }
        try {
            return KeyFactory.getInstance(key.getAlgorithm(), nativeKeys)
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            log.info("{}: Conscrypt could not take the {} key in its native form ({}); it is used as loaded, and"
                    + " handshakes with it are slower", certificate.source(), key.getAlgorithm(), e.toString());
            return key;
        }
    }
}
