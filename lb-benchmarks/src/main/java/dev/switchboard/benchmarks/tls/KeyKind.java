package dev.switchboard.benchmarks.tls;

import dev.switchboard.tls.TlsCertificate;
import dev.switchboard.tls.internal.pem.Der;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The server key of a TLS benchmark, and a self-signed certificate for {@code bench.example.com} made with it at
 * setup (DER written by hand, as in lb-tls's tests; no key is stored anywhere). Key generation uses a
 * {@code SHA1PRNG} seeded with a fixed value so that every run signs with the same key.
 */
public enum KeyKind {
    /** EC P-256, ECDSA with SHA-256. */
    EC_P256,
    /** RSA 2048, PKCS#1 v1.5 / PSS with SHA-256. */
    RSA_2048;

    static final String SERVER_NAME = "bench.example.com";

    /** A fresh certificate with its key. */
    TlsCertificate certificate(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            KeyPairGenerator g = KeyPairGenerator.getInstance(this == EC_P256 ? "EC" : "RSA");
            if (this == EC_P256) {
                g.initialize(new ECGenParameterSpec("secp256r1"), random);
            } else {
                g.initialize(2048, random);
            }
            KeyPair keys = g.generateKeyPair();
            return TlsCertificate.of(keys.getPrivate(), List.of(selfSigned(keys)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException {
        boolean rsa = this == RSA_2048;
        byte[] algorithm = rsa ? Der.sequence(Der.oid("1.2.840.113549.1.1.11"), Der.nullValue())
                : Der.sequence(Der.oid("1.2.840.10045.4.3.2"));
        byte[] name = Der.sequence(Der.tlv(0x31, Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(SERVER_NAME))));
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
        Instant now = Instant.now();
        byte[] validity = Der.sequence(
                Der.tlv(0x17, utc.format(now.minus(Duration.ofHours(1))).getBytes(StandardCharsets.US_ASCII)),
                Der.tlv(0x17, utc.format(now.plus(Duration.ofDays(7))).getBytes(StandardCharsets.US_ASCII)));
        byte[] san = Der.sequence(Der.oid("2.5.29.17"), Der.octetString(Der.sequence(
                Der.tlv(0x82, SERVER_NAME.getBytes(StandardCharsets.US_ASCII)))));
        byte[] tbs = Der.sequence(Der.explicit(0, Der.integer(2)), Der.integer(BigInteger.ONE), algorithm, name,
                validity, name, keys.getPublic().getEncoded(), Der.explicit(3, Der.sequence(san)));
        Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }
}
