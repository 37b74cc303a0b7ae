package dev.switchboard.tls;

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

/**
 * Test certificates, made at test time: EC P-256 or RSA-2048 keys, X.509 v3 certificates written with the DER
 * writer and signed with java.security.Signature, then parsed back by the JDK's CertificateFactory (which rejects a
 * bad encoding). No private key is ever committed.
 */
final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffff);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** A key pair with its certificate. */
    record Issued(KeyPair keys, X509Certificate certificate) {
        TlsCertificate tls() {
            return TlsCertificate.of(keys.getPrivate(), List.of(certificate));
        }

        String cn() {
            return certificate.getSubjectX500Principal().getName();
        }
    }

    private TestPki() {
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA. */
    static Issued ca(String cn) {
        KeyPair keys = ec();
        Instant now = Instant.now();
        return new Issued(keys, certificate(cn, keys.getPublic(), cn, keys.getPrivate(), List.of(), true,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
    }

    /** An EC leaf signed by {@code ca} for {@code dnsNames} (the first is also the CN). */
    static Issued leaf(Issued ca, String... dnsNames) {
        return leaf(ca, ec(), Duration.ofDays(30), dnsNames);
    }

    /** A leaf with the given key, valid from an hour ago for {@code validity} (negative: already expired). */
    static Issued leaf(Issued ca, KeyPair keys, Duration validity, String... dnsNames) {
        Instant now = Instant.now();
        Instant notBefore = validity.isNegative() ? now.minus(Duration.ofDays(10)) : now.minus(Duration.ofHours(1));
        Instant notAfter = validity.isNegative() ? now.plus(validity) : now.plus(validity);
        X509Certificate c = certificate(dnsNames.length > 0 ? dnsNames[0] : "no-name", keys.getPublic(), ca.cn()
                .substring(3), ca.keys().getPrivate(), List.of(dnsNames), false, notBefore, notAfter);
        return new Issued(keys, c);
    }

    static X509Certificate certificate(String cn, PublicKey key, String issuerCn, PrivateKey issuerKey,
            List<String> dnsNames, boolean ca, Instant notBefore, Instant notAfter) {
        boolean rsaIssuer = issuerKey.getAlgorithm().equals("RSA");
        byte[] algorithm = rsaIssuer ? Der.sequence(Der.oid("1.2.840.113549.1.1.11"), Der.nullValue())
                : Der.sequence(Der.oid("1.2.840.10045.4.3.2"));
        List<byte[]> extensions = new ArrayList<>();
        if (ca) {
            extensions.add(Der.sequence(Der.oid("2.5.29.19"), new byte[] {0x01, 0x01, (byte) 0xff},
                    Der.octetString(Der.sequence(new byte[] {0x01, 0x01, (byte) 0xff}))));
        }
        if (!dnsNames.isEmpty()) {
            List<byte[]> names = new ArrayList<>();
            for (String n : dnsNames) {
                names.add(Der.tlv(0x82, n.getBytes(StandardCharsets.US_ASCII)));
            }
            extensions.add(Der.sequence(Der.oid("2.5.29.17"),
                    Der.octetString(Der.sequence(names.toArray(new byte[0][])))));
        }
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(2)),
                Der.integer(BigInteger.valueOf(SERIAL.incrementAndGet())),
                algorithm,
                name(issuerCn),
                Der.sequence(time(notBefore), time(notAfter)),
                name(cn),
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

    private static byte[] name(String cn) {
        return Der.sequence(Der.tlv(0x31, Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(cn))));
    }

    private static byte[] time(Instant t) {
        return Der.tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    static String pem(String label, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
    }

    static String certificatePem(X509Certificate... chain) {
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
    static String pkcs8Pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY} (with the P-256 curve OID), from PKCS#8. */
    static String traditionalPem(PrivateKey key) {
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

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 file with one key entry. */
    static Path pkcs12(Path file, Issued issued, char[] password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", issued.keys().getPrivate(), password,
                    new java.security.cert.Certificate[] {issued.certificate()});
            store.store(out, password);
            return file;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
