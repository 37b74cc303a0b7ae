package dev.switchboard.tls.internal.pem;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Map;

/**
 * Decodes PEM private keys: PKCS#8 ({@code PRIVATE KEY}: RSA, EC, Ed25519, Ed448, RSASSA-PSS), PKCS#1
 * ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}); the last two are wrapped into PKCS#8 first.
 * Encrypted keys are refused with a message that says what to do. Throws {@link IllegalArgumentException} with
 * what is wrong.
 */
public final class PrivateKeys {

    static final String RSA_OID = "1.2.840.113549.1.1.1";
    static final String RSA_PSS_OID = "1.2.840.113549.1.1.10";
    static final String EC_OID = "1.2.840.10045.2.1";

    private static final Map<String, String> ALGORITHMS = Map.of(
            RSA_OID, "RSA",
            RSA_PSS_OID, "RSASSA-PSS",
            EC_OID, "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    private PrivateKeys() {
    }

    /** Whether a PEM label is one of the private key labels this class knows (encrypted or not). */
    public static boolean isPrivateKeyLabel(String label) {
        return label.equals("PRIVATE KEY") || label.equals("RSA PRIVATE KEY") || label.equals("EC PRIVATE KEY")
                || label.equals("ENCRYPTED PRIVATE KEY") || label.equals("DSA PRIVATE KEY");
    }

    /** Decodes one PEM block holding a private key. */
    public static PrivateKey decode(Pem.Block block) {
        if (block.encrypted() || block.label().equals("ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("line " + block.line() + ": the private key is encrypted, which is not"
                    + " supported; decrypt it (openssl pkcs8 -topk8 -nocrypt) or use a PKCS#12 file with a password");
        }
        try {
            switch (block.label()) {
                case "PRIVATE KEY":
                    return fromPkcs8(block.der());
                case "RSA PRIVATE KEY":
                    Der.readWhole(block.der());
                    return fromPkcs8(wrap(Der.sequence(Der.oid(RSA_OID), Der.nullValue()), block.der()));
                case "EC PRIVATE KEY":
                    return fromPkcs8(wrap(Der.sequence(Der.oid(EC_OID), Der.oid(sec1Curve(block.der()))),
                            block.der()));
                default:
                    throw new IllegalArgumentException("'" + block.label() + "' keys are not supported");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + block.line() + ": the " + block.label()
                    + " block is not a valid key: " + e.getMessage(), e);
        }
    }

    /** A PKCS#8 PrivateKeyInfo around {@code inner}. */
    static byte[] wrap(byte[] algorithmIdentifier, byte[] inner) {
        return Der.sequence(Der.integer(0), algorithmIdentifier, Der.octetString(inner));
    }

    private static PrivateKey fromPkcs8(byte[] der) {
        List<Der.Element> info = Der.readWhole(der).children();
        if (info.size() < 3 || info.get(1).tag() != Der.SEQUENCE || info.get(1).children().isEmpty()
                || info.get(1).children().get(0).tag() != Der.OID) {
            throw new IllegalArgumentException("not a PKCS#8 PrivateKeyInfo");
        }
        String oid = info.get(1).children().get(0).oid();
        String algorithm = ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported key algorithm " + oid + " (expected: RSA, EC, Ed25519,"
                    + " Ed448, RSASSA-PSS)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(algorithm + " key rejected by the JDK: " + e.getMessage(), e);
        }
    }

    /** The named curve of a SEC1 ECPrivateKey, from its {@code [0] parameters}. */
    private static String sec1Curve(byte[] der) {
        List<Der.Element> fields = Der.readWhole(der).children();
        if (fields.size() < 2 || fields.get(0).tag() != Der.INTEGER || fields.get(1).tag() != Der.OCTET_STRING) {
            throw new IllegalArgumentException("not a SEC1 ECPrivateKey");
        }
        for (Der.Element field : fields) {
            if (field.tag() == 0xa0) {
                List<Der.Element> params = field.children();
                if (params.size() == 1 && params.get(0).tag() == Der.OID) {
                    return params.get(0).oid();
                }
                throw new IllegalArgumentException("explicit curve parameters are not supported (use a named curve)");
            }
        }
        throw new IllegalArgumentException("the SEC1 key names no curve; convert it to PKCS#8"
                + " (openssl pkcs8 -topk8 -nocrypt)");
    }
}
