package dev.switchboard.tls;

import dev.switchboard.tls.internal.context.CertifiedKey;
import dev.switchboard.tls.internal.context.ServerCertificates;
import java.util.List;

/**
 * An {@link SniCertificates} as the server key manager in {@code tls.internal.context} sees it: the keys of its
 * certificates, and the key SNI selection picks. The key manager does not know the API's types; the server context
 * publishes these and reads its {@link SniCertificates} back from them. Immutable and thread-safe; {@link #select}
 * allocates no more than {@link SniCertificates#select(String)} does.
 *
 * @param certificates the certificate set
 */
record SniKeys(SniCertificates certificates) implements ServerCertificates {

    @Override
    public List<CertifiedKey> keys() {
        return certificates.certificates().stream().map(TlsCertificate::certifiedKey).toList();
    }

    @Override
    public CertifiedKey select(String serverName) {
        return certificates.select(serverName).certifiedKey();
    }
}
