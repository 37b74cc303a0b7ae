package dev.switchboard.examples.gateway;

import dev.switchboard.tls.TlsCertificate;
import dev.switchboard.tls.internal.pem.Der;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made at test time for the gateway's TLS tests (EC P-256, signed with java.security.Signature, parsed
 * back by the JDK): a CA, and leaves with DNS and IP subject alternative names. No key is ever committed.
 */
final class GatewayPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffff);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** A key pair with its certificate and the chain up to (not including) the CA. */
    record Issued(KeyPair keys, X509Certificate certificate) {
        TlsCertificate tls() {
            return TlsCertificate.of(keys.getPrivate(), List.of(certificate));
        }
    }

    private GatewayPki() {
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Issued ca(String cn) {
        KeyPair keys = ec();
        return new Issued(keys, certificate(cn, keys.getPublic(), cn, keys.getPrivate(), List.of(), List.of(), true));
    }

    /** A leaf for {@code names}: DNS names, or IPv4 literals (which become IP address entries). */
    static Issued leaf(Issued ca, String... names) {
        KeyPair keys = ec();
        List<String> dns = new ArrayList<>();
        List<byte[]> ips = new ArrayList<>();
        for (String n : names) {
            if (n.matches("[0-9.]+")) {
                String[] parts = n.split("\\.");
                byte[] ip = new byte[4];
                for (int i = 0; i < 4; i++) {
                    ip[i] = (byte) Integer.parseInt(parts[i]);
                }
                ips.add(ip);
            } else {
                dns.add(n);
            }
        }
        String issuer = ca.certificate().getSubjectX500Principal().getName().substring(3);
        return new Issued(keys, certificate(names[0], keys.getPublic(), issuer, ca.keys().getPrivate(), dns, ips,
                false));
    }

    private static X509Certificate certificate(String cn, PublicKey key, String issuerCn, PrivateKey issuerKey,
            List<String> dnsNames, List<byte[]> ips, boolean ca) {
        byte[] algorithm = Der.sequence(Der.oid("1.2.840.10045.4.3.2"));
        List<byte[]> extensions = new ArrayList<>();
        if (ca) {
            extensions.add(Der.sequence(Der.oid("2.5.29.19"), new byte[] {0x01, 0x01, (byte) 0xff},
                    Der.octetString(Der.sequence(new byte[] {0x01, 0x01, (byte) 0xff}))));
        }
        List<byte[]> names = new ArrayList<>();
        for (String n : dnsNames) {
            names.add(Der.tlv(0x82, n.getBytes(StandardCharsets.US_ASCII)));
        }
        for (byte[] ip : ips) {
            names.add(Der.tlv(0x87, ip));
        }
        if (!names.isEmpty()) {
            extensions.add(Der.sequence(Der.oid("2.5.29.17"),
                    Der.octetString(Der.sequence(names.toArray(new byte[0][])))));
        }
        Instant now = Instant.now();
        byte[] tbs = Der.sequence(Der.explicit(0, Der.integer(2)),
                Der.integer(BigInteger.valueOf(SERIAL.incrementAndGet())), algorithm, name(issuerCn),
                Der.sequence(time(now.minus(Duration.ofHours(1))), time(now.plus(Duration.ofDays(2)))), name(cn),
                key.getEncoded(),
                extensions.isEmpty() ? new byte[0] : Der.explicit(3, Der.sequence(extensions.toArray(new byte[0][]))));
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
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

    /** A JDK client context that trusts {@code ca}, limited to {@code protocol}. */
    static SSLContext clientContext(Issued ca, String protocol) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDK server context presenting {@code leaf}. */
    static SSLContext serverContext(Issued leaf) {
        try {
            char[] password = "test".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", leaf.keys().getPrivate(), password, new Certificate[] {leaf.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
