package dev.switchboard.examples.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
 * Self-signed test certificates made at test time (EC P-256, X.509 v3 written with a tiny DER writer, parsed back
 * by the JDK), after lb-health's TestPki; no private key is committed.
 */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffff);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private TestCertificates() {
    }

    /** Writes a self-signed certificate for {@code dnsName} to {@code certificate} and its key to {@code key}. */
    static void write(Path certificate, Path key, String dnsName) throws Exception {
        KeyPair keys = ec();
        X509Certificate c = certificate(dnsName, keys.getPublic(), dnsName, keys.getPrivate(), List.of(dnsName), false);
        Files.writeString(certificate, pem("CERTIFICATE", c.getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    }

    /** Writes a self-signed CA certificate to {@code certificate}. */
    static void writeCa(Path certificate, String cn) throws Exception {
        KeyPair keys = ec();
        X509Certificate c = certificate(cn, keys.getPublic(), cn, keys.getPrivate(), List.of(), true);
        Files.writeString(certificate, pem("CERTIFICATE", c.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
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

    private static X509Certificate certificate(String cn, PublicKey key, String issuerCn, PrivateKey issuerKey,
                                               List<String> dnsNames, boolean ca) {
        byte[] algorithm = seq(oid("1.2.840.10045.4.3.2"));
        List<byte[]> extensions = new ArrayList<>();
        if (ca) {
            extensions.add(seq(oid("2.5.29.19"), new byte[] {0x01, 0x01, (byte) 0xff},
                    tlv(0x04, seq(new byte[] {0x01, 0x01, (byte) 0xff}))));
        }
        if (!dnsNames.isEmpty()) {
            List<byte[]> names = new ArrayList<>();
            for (String n : dnsNames) {
                names.add(tlv(0x82, n.getBytes(StandardCharsets.US_ASCII)));
            }
            extensions.add(seq(oid("2.5.29.17"), tlv(0x04, seq(names.toArray(new byte[0][])))));
        }
        Instant now = Instant.now();
        byte[] tbs = seq(
                tlv(0xa0, tlv(0x02, BigInteger.TWO.toByteArray())),
                tlv(0x02, BigInteger.valueOf(SERIAL.incrementAndGet()).toByteArray()),
                algorithm,
                name(issuerCn),
                seq(time(now.minus(Duration.ofHours(1))), time(now.plus(Duration.ofDays(30)))),
                name(cn),
                key.getEncoded(),
                tlv(0xa3, seq(extensions.toArray(new byte[0][]))));
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(issuerKey);
            signer.update(tbs);
            byte[] der = seq(tbs, algorithm, tlv(0x03, new byte[] {0}, signer.sign()));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] name(String cn) {
        return seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, cn.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] time(Instant t) {
        return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, parts);
    }

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int len = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else {
            out.write(0x82);
            out.write(len >>> 8);
            out.write(len);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return tlv(0x06, out.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, long v) {
        int groups = 1;
        for (long t = v >>> 7; t != 0; t >>>= 7) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            int b = (int) (v >>> (7 * g)) & 0x7f;
            out.write(g == 0 ? b : b | 0x80);
        }
    }
}
