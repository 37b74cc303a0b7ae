package dev.switchboard.tls.internal.pem;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.Optional;

/** Checks that a private key belongs to its certificate, and whether a certificate is within its validity. */
public final class KeyChecks {

    private static final byte[] CHALLENGE = "switchboard key check".getBytes(StandardCharsets.US_ASCII);

    private KeyChecks() {
    }

    /**
     * Throws when {@code key} is not the private half of {@code leaf}'s public key.
     *
     * @param keySource the key's file, named in the exception
     * @param certificateSource the certificate's file, named in the message
     */
    public static void requireMatch(String keySource, String certificateSource, PrivateKey key, X509Certificate leaf) {
        PublicKey pub = leaf.getPublicKey();
        String subject = leaf.getSubjectX500Principal().getName();
        String where = "the private key does not match the certificate in " + certificateSource + " (" + subject + ")";
        String keyFamily = family(key.getAlgorithm());
        String certFamily = family(pub.getAlgorithm());
        if (!keyFamily.equals(certFamily)) {
            throw new CertificateFileException(keySource, where + ": the key is " + key.getAlgorithm()
                    + ", the certificate's key is " + pub.getAlgorithm(), null);
        }
        if (key instanceof RSAKey && pub instanceof RSAKey) {
            if (!((RSAKey) key).getModulus().equals(((RSAKey) pub).getModulus())) {
                throw new CertificateFileException(keySource, where + ": RSA modulus differs", null);
            }
            return;
        }
        String algorithm = signatureAlgorithm(keyFamily, key.getAlgorithm());
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(CHALLENGE);
            if (!verifier.verify(signature)) {
                throw new CertificateFileException(keySource, where + ": a test signature does not verify", null);
            }
        } catch (GeneralSecurityException e) {
            throw new CertificateFileException(keySource, where + ": " + e.getMessage(), e);
        }
    }

    /** What is wrong with the validity period at {@code now}, if anything ("expired on ..."). */
    public static Optional<String> validityProblem(X509Certificate certificate, Instant now) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        Instant notBefore = certificate.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            return Optional.of("certificate " + certificate.getSubjectX500Principal().getName() + " expired on "
                    + notAfter + "; clients will reject it");
        }
        if (now.isBefore(notBefore)) {
            return Optional.of("certificate " + certificate.getSubjectX500Principal().getName()
                    + " is not valid before " + notBefore + "; clients will reject it");
        }
        return Optional.empty();
    }

    /** RSA, EC, EdDSA (Ed25519/Ed448 share a family), or the algorithm itself. */
    static String family(String algorithm) {
        switch (algorithm) {
            case "RSA":
            case "RSASSA-PSS":
                return "RSA";
            case "EC":
            case "ECDSA":
                return "EC";
            case "EdDSA":
            case "Ed25519":
            case "Ed448":
                return "EdDSA";
            default:
                return algorithm;
        }
    }

    private static String signatureAlgorithm(String family, String keyAlgorithm) {
        switch (family) {
            case "EC":
                return "SHA256withECDSA";
            case "EdDSA":
                return keyAlgorithm.equals("EdDSA") ? "EdDSA" : keyAlgorithm;
            default:
                return "SHA256with" + keyAlgorithm;
        }
    }
}
