package dev.switchboard.engine.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Key derivation (HKDF with HMAC-SHA256, RFC 5869) and keyed hashing for pre-authentication: one secret, one key per
 * purpose ({@code info}), so the cookie key never doubles as the CSRF key. JDK crypto only. Stateless, thread-safe.
 */
final class Secrets {

    static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SALT = "switchboard pre-authentication v1".getBytes(StandardCharsets.US_ASCII);

    private Secrets() {
    }

    /** {@code length} bytes (at most 32) of key for {@code info}, derived from {@code secret}. */
    static byte[] derive(String secret, String info, int length) {
        byte[] prk = hmac(SALT, secret.getBytes(StandardCharsets.UTF_8));
        byte[] in = (info + "\u0001").getBytes(StandardCharsets.US_ASCII);
        byte[] okm = hmac(prk, in);
        byte[] out = new byte[length];
        System.arraycopy(okm, 0, out, 0, length);
        return out;
    }

    /** A fresh random key of {@code length} bytes. */
    static byte[] random(int length) {
        byte[] key = new byte[length];
        RANDOM.nextBytes(key);
        return key;
    }

    /** HMAC-SHA256 of {@code data} under {@code key}. */
    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
