package dev.switchboard.cluster.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's active-cookie key: 16 random bytes drawn by the first member that asks and put, if absent, into a
 * cluster map (an atomic put-if-absent on the key's partition owner), so every member gets the same key for as long
 * as one member lives (the map keeps a synchronous and asynchronous backups). Hazelcast's own transport is not
 * encrypted: the key is stored and sent wrapped with AES-GCM under a key derived from the shared secret, never in
 * the clear. Thread-safe.
 */
public final class SharedCookieKey {

    private static final Logger LOG = LoggerFactory.getLogger(SharedCookieKey.class);
    static final String MAP = "switchboard.fleet";
    private static final String ENTRY = "cookie-key";
    private static final int KEY_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IMap<String, byte[]> map;
    private final SecretKeySpec wrapKey;
    private final byte[] context;
    private volatile byte[] last;

    /** The key of the fleet {@code hz} belongs to; nothing is read before {@link #get}. */
    public SharedCookieKey(HazelcastInstance hz, Secrets secrets) {
        this.map = hz.getMap(MAP);
        byte[] derived = secrets.mac("switchboard cookie-key wrap".getBytes(StandardCharsets.UTF_8), 0, -1);
        this.wrapKey = new SecretKeySpec(Arrays.copyOf(derived, 16), "AES");
        this.context = secrets.clusterName().getBytes(StandardCharsets.UTF_8);
    }

    /** Adds the map's settings: a synchronous backup and asynchronous ones. */
    public static void configure(Config config) {
        config.addMapConfig(new MapConfig(MAP).setBackupCount(1).setAsyncBackupCount(5));
    }

    /**
     * The fleet's key, drawn and shared when no member has one yet. Waits at most {@code wait} for the cluster;
     * then (or when the stored key does not decrypt) logs a warning and returns the key it had before, or null.
     */
    public byte[] get(Duration wait) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(fetch());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "switchboard-cookie-key");
        t.setDaemon(true);
        t.start();
        try {
            byte[] key = f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            last = key;
            return key.clone();
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("cluster: no shared cookie key ({}); active cookies of this member may not be accepted by the "
                    + "others until it restarts, or configure a cookieSecret", String.valueOf(e.getCause() == null ? e
                    : e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] before = last;
        return before == null ? null : before.clone();
    }

    private byte[] fetch() {
        byte[] fresh = new byte[KEY_BYTES];
        RANDOM.nextBytes(fresh);
        byte[] existing = map.putIfAbsent(ENTRY, wrap(fresh));
        if (existing == null) {
            LOG.info("cluster: drew the fleet's active-cookie key");
            return fresh;
        }
        byte[] key = unwrap(existing);
        if (key == null) {
            throw new IllegalStateException("the fleet's cookie key does not decrypt (corrupt, or another secret)");
        }
        return key;
    }

    byte[] wrap(byte[] key) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, wrapKey, new GCMParameterSpec(128, nonce));
            c.updateAAD(context);
            byte[] sealed = c.doFinal(key);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is missing from this JVM", e);
        }
    }

    /** The key, or null when {@code wrapped} does not decrypt and verify. */
    byte[] unwrap(byte[] wrapped) {
        if (wrapped.length != NONCE_BYTES + KEY_BYTES + 16) {
            return null;
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, wrapKey, new GCMParameterSpec(128, wrapped, 0, NONCE_BYTES));
            c.updateAAD(context);
            return c.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
