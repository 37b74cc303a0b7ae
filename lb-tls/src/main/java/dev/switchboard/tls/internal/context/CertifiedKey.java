package dev.switchboard.tls.internal.context;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What a key manager hands the TLS stack for one certificate: the private key, the chain (leaf first), the key type
 * the stack asks for ({@code RSA}, {@code EC}, {@code EdDSA}) and where it came from (for log lines). The API's
 * {@code TlsCertificate} makes one of these for itself, once; this package never sees the API's types. Immutable;
 * the key managers compare instances by identity, one instance standing for one loaded certificate.
 *
 * @param source the file(s) it was read from, or {@code in-memory certificate <subject>}; never the key
 * @param keyType the key type the TLS stack asks for when it chooses a certificate
 * @param privateKey the private key (never logged)
 * @param chain the chain, leaf first, not empty
 */
public record CertifiedKey(String source, String keyType, PrivateKey privateKey, List<X509Certificate> chain) {

    /** @throws IllegalArgumentException when {@code chain} is empty */
    public CertifiedKey {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: empty (expected: the leaf certificate first)");
        }
    }

    /** The chain as the TLS stack wants it: a fresh array, leaf first. */
    public X509Certificate[] chainArray() {
        return chain.toArray(new X509Certificate[0]);
    }

    @Override
    public String toString() {
        return "CertifiedKey[" + keyType + " from " + source + "]";
    }
}
