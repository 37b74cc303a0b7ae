package dev.switchboard.cluster.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the shared secret does: it is folded into the Hazelcast cluster name (so a member with another secret is
 * refused at join, since Hazelcast OSS joins only members of the same cluster name), and it keys an HMAC-SHA256 that
 * signs every replication message (a receiver drops a message whose tag does not verify). The secret itself never
 * leaves the process. Without a secret (loopback only) the key is the cluster name, which protects against
 * accidental cross-talk only. Immutable, thread-safe (a {@link Mac} per call).
 */
public final class Secrets {

    static final int TAG_BYTES = 32;

    private final SecretKeySpec key;
    private final String clusterName;

    /** @param name the cluster name the user gave; @param secret the shared secret, empty for none */
    public Secrets(String name, String secret) {
        byte[] k = (secret.isEmpty() ? "switchboard-no-secret:" + name : secret).getBytes(StandardCharsets.UTF_8);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        this.clusterName = secret.isEmpty() ? name
                : name + "-" + HexFormat.of().formatHex(Arrays.copyOf(
                        mac(("cluster-name\0" + name).getBytes(StandardCharsets.UTF_8), 0, -1), 8));
    }

    /** The name Hazelcast runs under: the given name, plus a digest of the secret when there is one. */
    public String clusterName() {
        return clusterName;
    }

    /** The HMAC-SHA256 of {@code data[0, length)} ({@code length < 0}: all of it). */
    byte[] mac(byte[] data, int offset, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, offset, length < 0 ? data.length - offset : length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Writes the body of a message; {@link #signed} appends the tag. */
    @FunctionalInterface
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * A message: what {@code body} writes, then the HMAC of it ({@link #TAG_BYTES} bytes), for {@link #verify}.
     *
     * @param sizeHint the expected size, to size the buffer
     */
    byte[] signed(int sizeHint, Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint + TAG_BYTES);
            DataOutputStream out = new DataOutputStream(bytes);
            body.write(out);
            out.flush();
            out.write(mac(bytes.toByteArray(), 0, -1));
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
    }

    /** Whether the last {@link #TAG_BYTES} of {@code message} are the HMAC of the rest (constant time). */
    boolean verify(byte[] message) {
        if (message.length < TAG_BYTES) {
            return false;
        }
        int body = message.length - TAG_BYTES;
        byte[] expected = mac(message, 0, body);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(message, body, message.length));
    }
}
