package dev.switchboard.tls.testing;

import dev.switchboard.tls.TlsCertificate;
import dev.switchboard.tls.internal.pem.Der;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test-only certificates, made at test time: EC P-256 or RSA-2048 keys, X.509 v3 certificates written with lb-tls's
 * DER writer and signed with java.security.Signature, then parsed back by the JDK's CertificateFactory (which rejects
 * a bad encoding). No private key is ever committed.
 *
 * <p>This class lives in lb-tls's test sources and reaches other modules only through the {@code lb-tls} test-jar
 * (test scope). It is not part of any published API: never use it from main code.
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffff);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final char[] PASSWORD = "test".toCharArray();

    /** A key pair with its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {

        /** The key and certificate as an lb-tls certificate (chain of one). */
        public TlsCertificate tls() {
            return TlsCertificate.of(keys.getPrivate(), List.of(certificate));
        }

        /** The subject as an RFC 2253 string, {@code CN=...}. */
        public String cn() {
            return certificate.getSubjectX500Principal().getName();
        }

        /** Writes the certificate as PEM to {@code file} and returns the file. */
        public Path writeCertificate(Path file) {
            return write(file, certificatePem(certificate));
        }

        /** Writes the certificate (PEM) and its PKCS#8 key (PEM) to the two files. */
        public Issued writeCertificateAndKey(Path certificateFile, Path keyFile) {
            writeCertificate(certificateFile);
            write(keyFile, pkcs8Pem(keys.getPrivate()));
            return this;
        }
    }

    private TestPki() {
    }

    /** A fresh EC P-256 key pair. */
    public static KeyPair ec() {
        return generate("EC", g -> g.initialize(new ECGenParameterSpec("secp256r1")));
    }

    /** A fresh RSA-2048 key pair. */
    public static KeyPair rsa() {
        return generate("RSA", g -> g.initialize(2048));
    }

    private interface Init {
        void init(KeyPairGenerator g) throws GeneralSecurityException;
    }

    private static KeyPair generate(String algorithm, Init init) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            init.init(g);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed EC CA (basic constraints CA:true), valid from an hour ago for 30 days. */
    public static Issued ca(String cn) {
        KeyPair keys = ec();
        Instant now = Instant.now();
        byte[] name = name(cn);
        return new Issued(keys, certificate(name, keys.getPublic(), name, keys.getPrivate(), List.of(), true,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
    }

    /**
     * A self-signed EC end-entity certificate (not a CA) for {@code dnsName}, which is its CN and its only subject
     * alternative name; valid from an hour ago for 30 days.
     */
    public static Issued selfSigned(String dnsName) {
        KeyPair keys = ec();
        Instant now = Instant.now();
        byte[] name = name(dnsName);
        return new Issued(keys, certificate(name, keys.getPublic(), name, keys.getPrivate(), List.of(dnsName), false,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
    }

    /**
     * An EC leaf signed by {@code ca}, valid for 30 days, for {@code names}: DNS names, or IPv4 literals (which
     * become IP address entries). The first name is also the CN.
     */
    public static Issued leaf(Issued ca, String... names) {
        return leaf(ca, ec(), Duration.ofDays(30), names);
    }

    /**
     * A leaf with the given key, valid from an hour ago for {@code validity} (negative: from ten days ago until
     * {@code validity} ago, so already expired). Names as in {@link #leaf(Issued, String...)}.
     */
    public static Issued leaf(Issued ca, KeyPair keys, Duration validity, String... names) {
        Instant now = Instant.now();
        Instant notBefore = validity.isNegative() ? now.minus(Duration.ofDays(10)) : now.minus(Duration.ofHours(1));
        X509Certificate c = certificate(name(names.length > 0 ? names[0] : "no-name"), keys.getPublic(),
                ca.certificate().getSubjectX500Principal().getEncoded(), ca.keys().getPrivate(), List.of(names),
                false, notBefore, now.plus(validity));
        return new Issued(keys, c);
    }

    private static X509Certificate certificate(byte[] subject, PublicKey key, byte[] issuer, PrivateKey issuerKey,
            List<String> names, boolean ca, Instant notBefore, Instant notAfter) {
        boolean rsaIssuer = issuerKey.getAlgorithm().equals("RSA");
        byte[] algorithm = rsaIssuer ? Der.sequence(Der.oid("1.2.840.113549.1.1.11"), Der.nullValue())
                : Der.sequence(Der.oid("1.2.840.10045.4.3.2"));
        List<byte[]> extensions = new ArrayList<>();
        if (ca) {
            extensions.add(Der.sequence(Der.oid("2.5.29.19"), new byte[] {0x01, 0x01, (byte) 0xff},
                    Der.octetString(Der.sequence(new byte[] {0x01, 0x01, (byte) 0xff}))));
        }
        if (!names.isEmpty()) {
            List<byte[]> entries = new ArrayList<>();
            for (String n : names) {
                entries.add(n.matches("\\d{1,3}(\\.\\d{1,3}){3}") ? Der.tlv(0x87, ipv4(n))
                        : Der.tlv(0x82, n.getBytes(StandardCharsets.US_ASCII)));
            }
            extensions.add(Der.sequence(Der.oid("2.5.29.17"),
                    Der.octetString(Der.sequence(entries.toArray(new byte[0][])))));
        }
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(2)),
                Der.integer(BigInteger.valueOf(SERIAL.incrementAndGet())),
                algorithm,
                issuer,
                Der.sequence(time(notBefore), time(notAfter)),
                subject,
                key.getEncoded(),
                extensions.isEmpty() ? new byte[0] : Der.explicit(3, Der.sequence(extensions.toArray(new byte[0][]))));
        try {
            Signature signer = Signature.getInstance(rsaIssuer ? "SHA256withRSA" : "SHA256withECDSA");
            signer.initSign(issuerKey);
            signer.update(tbs);
            byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ipv4(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] ip = new byte[4];
        for (int i = 0; i < 4; i++) {
            ip[i] = (byte) Integer.parseInt(parts[i]);
        }
        return ip;
    }

    private static byte[] name(String cn) {
        return Der.sequence(Der.tlv(0x31, Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(cn))));
    }

    private static byte[] time(Instant t) {
        return Der.tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    /** A PEM block with the given label. */
    public static String pem(String label, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
    }

    /** {@code CERTIFICATE} blocks, one per certificate, in order. */
    public static String certificatePem(X509Certificate... chain) {
        StringBuilder sb = new StringBuilder();
        try {
            for (X509Certificate c : chain) {
                sb.append(pem("CERTIFICATE", c.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return sb.toString();
    }

    /** PKCS#8 {@code PRIVATE KEY}. */
    public static String pkcs8Pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY} (with the P-256 curve OID), from PKCS#8. */
    public static String traditionalPem(PrivateKey key) {
        Der.Element info = Der.readWhole(key.getEncoded());
        byte[] inner = info.children().get(2).content();
        if (key.getAlgorithm().equals("RSA")) {
            return pem("RSA PRIVATE KEY", inner);
        }
        List<Der.Element> sec1 = Der.readWhole(inner).children();
        byte[] withCurve = Der.sequence(Der.integer(1), Der.octetString(sec1.get(1).content()),
                Der.explicit(0, Der.oid("1.2.840.10045.3.1.7")));
        return pem("EC PRIVATE KEY", withCurve);
    }

    /** Writes {@code text} (ASCII) to {@code file} and returns it. */
    public static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 file with one key entry, alias {@code server}. */
    public static Path pkcs12(Path file, Issued issued, char[] password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore(issued, password).store(out, password);
            return file;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore keyStore(Issued issued, char[] password, Issued... chain)
            throws GeneralSecurityException, IOException {
        Certificate[] certificates = new Certificate[chain.length + 1];
        certificates[0] = issued.certificate();
        for (int i = 0; i < chain.length; i++) {
            certificates[i + 1] = chain[i].certificate();
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", issued.keys().getPrivate(), password, certificates);
        return store;
    }

    /** A JDK server context ("TLS") presenting {@code leaf}, followed in the chain by {@code chain} (e.g. its CA). */
    public static SSLContext serverContext(Issued leaf, Issued... chain) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore(leaf, PASSWORD, chain), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A JDK client context for {@code protocol} (e.g. "TLS", "TLSv1.2") trusting only {@code trusted} (a CA, or a
     * self-signed certificate). Its session cache is its own: reuse the context to resume sessions.
     */
    public static SSLContext clientContext(Issued trusted, String protocol) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("trusted", trusted.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
