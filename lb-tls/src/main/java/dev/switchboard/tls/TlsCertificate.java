package dev.switchboard.tls;

import dev.switchboard.tls.internal.context.CertifiedKey;
import dev.switchboard.tls.internal.pem.CertificateFileException;
import dev.switchboard.tls.internal.pem.CertificateFiles;
import dev.switchboard.tls.internal.pem.KeyChecks;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate chain (leaf first) with its private key, read from PEM or PKCS#12 files, or given in memory. Used
 * as a server certificate ({@link SniCertificates}) and as an upstream client certificate (mutual TLS).
 *
 * <pre>{@code
 * TlsCertificate mail = TlsCertificate.fromPem(Path.of("/etc/lb/mail.pem"), Path.of("/etc/lb/mail.key"));
 * TlsCertificate owa = TlsCertificate.fromPkcs12(Path.of("/etc/lb/owa.p12"), password);
 * mail.dnsNames();   // [mail.example.com, *.mail.example.com]
 * }</pre>
 *
 * <p>Loading checks that the private key matches the leaf certificate and logs a WARN when the leaf is expired or
 * not yet valid (it is still loaded: replacing a certificate must never take a listener down). PEM keys may be
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}), RSA, EC or EdDSA;
 * encrypted PEM keys are refused (use PKCS#12 for a key at rest under a password).
 *
 * <p>Immutable and thread-safe. {@link #reload()} reads the same files again into a new instance.
 * {@link #toString()} names the files and the subject, never the key.
 *
 * @throws TlsConfigurationException from every factory: naming the file and the problem
 */
public final class TlsCertificate {

    private static final Logger log = LoggerFactory.getLogger(TlsCertificate.class);

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    private final String source;
    private final List<String> dnsNames;
    private final Loader loader;
    private final CertifiedKey certifiedKey;

    @FunctionalInterface
    private interface Loader {
        TlsCertificate load();
    }

    private TlsCertificate(PrivateKey privateKey, List<X509Certificate> chain, String source, Loader loader) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
        this.source = source;
        this.loader = loader;
        this.dnsNames = List.copyOf(namesOf(chain.get(0)));
        this.certifiedKey = new CertifiedKey(source, keyType(), privateKey, this.chain);
    }

    /** From one PEM file holding the chain (leaf first) and the private key, as HAProxy uses them. */
    public static TlsCertificate fromPem(Path chainAndKey) {
        return fromPem(chainAndKey, chainAndKey);
    }

    /** From a PEM chain file (leaf first, intermediates after it) and a PEM private key file. */
    public static TlsCertificate fromPem(Path chain, Path key) {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(key, "key");
        List<X509Certificate> certificates;
        PrivateKey privateKey;
        try {
            certificates = CertificateFiles.readCertificates(chain);
            privateKey = CertificateFiles.readPrivateKey(key);
            KeyChecks.requireMatch(key.toString(), chain.toString(), privateKey, certificates.get(0));
        } catch (CertificateFileException e) {
            throw TlsConfigurationException.of(e);
        }
        String source = chain.equals(key) ? chain.toString() : chain + " + " + key;
        warnIfOutsideValidity(chain.toString(), certificates.get(0));
        return new TlsCertificate(privateKey, certificates, source, () -> fromPem(chain, key));
    }

    /** From a PKCS#12 file holding exactly one key entry. */
    public static TlsCertificate fromPkcs12(Path file, char[] password) {
        return fromPkcs12(file, password, "");
    }

    /**
     * From the key entry {@code alias} of a PKCS#12 file ({@code ""}: the only key entry). The password is copied
     * and kept for {@link #reload()}.
     */
    public static TlsCertificate fromPkcs12(Path file, char[] password, String alias) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(alias, "alias");
        char[] kept = Objects.requireNonNull(password, "password").clone();
        CertificateFiles.Material material;
        try {
            material = CertificateFiles.readPkcs12(file, kept, alias);
            KeyChecks.requireMatch(file.toString(), file.toString(), material.key(), material.chain().get(0));
        } catch (CertificateFileException e) {
            throw TlsConfigurationException.of(e);
        }
        warnIfOutsideValidity(file.toString(), material.chain().get(0));
        return new TlsCertificate(material.key(), material.chain(), file.toString(),
                () -> fromPkcs12(file, kept, alias));
    }

    /** From a key and chain already in memory (leaf first). {@link #reload()} returns the same instance. */
    public static TlsCertificate of(PrivateKey privateKey, List<X509Certificate> chain) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (Objects.requireNonNull(chain, "chain").isEmpty()) {
            throw new IllegalArgumentException("chain: empty (expected: the leaf certificate first)");
        }
        String source = "in-memory certificate " + chain.get(0).getSubjectX500Principal().getName();
        try {
            KeyChecks.requireMatch(source, source, privateKey, chain.get(0));
        } catch (CertificateFileException e) {
            throw TlsConfigurationException.of(e);
        }
        warnIfOutsideValidity(source, chain.get(0));
        TlsCertificate[] self = new TlsCertificate[1];
        self[0] = new TlsCertificate(privateKey, chain, source, () -> self[0]);
        return self[0];
    }

    /** Reads the same files again. Throws as the factory did; the instance it is called on stays usable. */
    public TlsCertificate reload() {
        return loader.load();
    }

    /** The leaf certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The chain, leaf first. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The private key (for the TLS stack; never logged). */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** {@code RSA}, {@code EC} or {@code EdDSA}: the key type the TLS stack asks for when it chooses a certificate. */
    public String keyType() {
        String algorithm = privateKey.getAlgorithm();
        switch (algorithm) {
            case "RSASSA-PSS":
                return "RSA";
            case "Ed25519":
            case "Ed448":
                return "EdDSA";
            default:
                return algorithm;
        }
    }

    /**
     * The DNS names of the leaf, lower case: its subjectAltName DNS entries, or, when it has none, its subject's
     * common name.
     */
    public List<String> dnsNames() {
        return dnsNames;
    }

    /** This certificate as the key managers in {@code tls.internal.context} take it; the same instance each call. */
    CertifiedKey certifiedKey() {
        return certifiedKey;
    }

    /** When the leaf expires. */
    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** Where it was read from: the file(s), or {@code in-memory certificate <subject>}. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "TlsCertificate[" + leaf().getSubjectX500Principal().getName() + " from " + source + "]";
    }

    private static void warnIfOutsideValidity(String source, X509Certificate leaf) {
        KeyChecks.validityProblem(leaf, Instant.now()).ifPresent(problem -> log.warn("{}: {}", source, problem));
    }

    private static List<String> namesOf(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String) {
                        names.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            log.debug("cannot read the subjectAltName of {}", leaf.getSubjectX500Principal(), e);
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
                    }
                }
            } catch (InvalidNameException e) {
                log.debug("cannot parse the subject of {}", leaf.getSubjectX500Principal(), e);
            }
        }
        return names;
    }
}
