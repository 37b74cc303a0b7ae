package dev.switchboard.engine.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cookies opened recently (decrypted and verified), so that a browser sending the same SSO cookie on every request
 * pays one AES-GCM open per {@code ttl} instead of one per request. Keyed by SHA-256 of the cookie's value (the
 * value itself is not kept); an entry holds what the cookie says (user, login time, last-seen time, session id), so
 * every hit is judged afresh: lifetime, idle time, revocation and refresh are checked on each request exactly as
 * after a full open. Only cookies that opened (sealed by us, our domain) are kept: garbage cannot fill it.
 *
 * <p>Bounded: at most {@code maxEntries}; when full, entries older than {@code ttl} are dropped (at most once a
 * second), and if none is, the new cookie is simply not cached. Lock-free reads ({@link ConcurrentHashMap}).
 * Thread-safe.
 *
 * @param <V> what an opened cookie holds
 */
final class SsoOpenCache<V> {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(SsoOpenCache::sha256);

    /** The first 128 bits of SHA-256 of a cookie value. */
    record Key(long high, long low) {
    }

    private record Entry<V>(V opened, long since) {
    }

    private final Map<Key, Entry<V>> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final long ttlSeconds;
    private volatile long nextSweep;

    SsoOpenCache(int maxEntries, long ttlSeconds) {
        this.maxEntries = maxEntries;
        this.ttlSeconds = ttlSeconds;
    }

    /** The key of a cookie value: the first 128 bits of its SHA-256. */
    static Key key(String value) {
        byte[] d = SHA256.get().digest(value.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer b = ByteBuffer.wrap(d);
        return new Key(b.getLong(), b.getLong());
    }

    /** What the cookie of {@code key} held when it was opened less than {@code ttl} ago, or null. */
    V find(Key key, long now) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (now - e.since() >= ttlSeconds || now < e.since()) {
            entries.remove(key, e);
            return null;
        }
        return e.opened();
    }

    /** Remembers what the cookie of {@code key} holds, opened at {@code now}, unless the cache is full. */
    void put(Key key, V opened, long now) {
        if (entries.size() >= maxEntries) {
            if (now < nextSweep) {
                return;
            }
            nextSweep = now + 1;
            for (Iterator<Entry<V>> it = entries.values().iterator(); it.hasNext(); ) {
                if (now - it.next().since() >= ttlSeconds) {
                    it.remove();
                }
            }
            if (entries.size() >= maxEntries) {
                return;
            }
        }
        entries.put(key, new Entry<>(opened, now));
    }

    int size() {
        return entries.size();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
