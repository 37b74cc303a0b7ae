package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Persistence;

/**
 * The inserted persistence cookie: its value names the real server and an expiry, signed with SipHash-2-4 under
 * the configured (or generated) secret, so any gateway that shares the secret accepts it without a shared table,
 * across restarts. Layout (20 bytes, base64url without padding, 27 characters): server id (8), expiry in epoch
 * seconds (4), tag (8), big-endian. A forged, truncated, garbled or expired value decodes to "no cookie".
 * Immutable and thread-safe.
 *
 * <p>Idle timeout: the expiry is {@code now + timeout}; a request whose cookie has used up more than a tenth of
 * its timeout gets the cookie re-issued with a fresh expiry, so an active client never expires and an idle one
 * does after the timeout (within 10%).
 */
final class ActiveCookie {

    /** Set in {@link #decode}'s result when the cookie should be re-issued (a valid server id never has it). */
    static final long REFRESH = Long.MIN_VALUE;
    static final int LENGTH = 27;

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final byte[] DECODE = new byte[128];

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = (byte) i;
        }
    }

    private final SipHash mac;
    private final String name;
    private final String nameEquals;
    private final long timeoutSeconds;
    private final long refreshSeconds;
    private final String attributes;
    private final String secureAttributes;

    ActiveCookie(SipHash mac, Persistence p, String name) {
        this.mac = mac;
        this.name = name;
        this.nameEquals = name + "=";
        this.timeoutSeconds = Math.max(1, p.timeout().toSeconds());
        this.refreshSeconds = Math.max(1, timeoutSeconds / 10);
        StringBuilder a = new StringBuilder("; Path=").append(p.cookiePath());
        if (!p.cookieSession()) {
            a.append("; Max-Age=").append(timeoutSeconds);
        }
        if (p.cookieHttpOnly()) {
            a.append("; HttpOnly");
        }
        if (!p.cookieSameSite().isEmpty()) {
            a.append("; SameSite=").append(p.cookieSameSite());
        }
        this.attributes = a.toString();
        this.secureAttributes = attributes + "; Secure";
    }

    String name() {
        return name;
    }

    /**
     * The server id named by the cookie in {@code cookieHeader}, with {@link #REFRESH} set when it should be
     * re-issued; {@link dev.switchboard.api.spi.PersistenceStore#NONE} when there is no valid cookie.
     */
    long decode(String cookieHeader, long nowSeconds) {
        long b = Cookies.find(cookieHeader, nameEquals);
        if (b < 0 || (int) b - (int) (b >>> 32) != LENGTH) {
            return 0;
        }
        int start = (int) (b >>> 32);
        // 27 characters = 162 bits, MSB first: w0 holds bits 0..59, w1 bits 60..119, w2 bits 120..161
        long w0 = 0;
        long w1 = 0;
        long w2 = 0;
        int bad = 0;
        for (int i = 0; i < 10; i++) {
            int v = sextet(cookieHeader.charAt(start + i));
            bad |= v;
            w0 = (w0 << 6) | (v & 63);
        }
        for (int i = 10; i < 20; i++) {
            int v = sextet(cookieHeader.charAt(start + i));
            bad |= v;
            w1 = (w1 << 6) | (v & 63);
        }
        for (int i = 20; i < LENGTH; i++) {
            int v = sextet(cookieHeader.charAt(start + i));
            bad |= v;
            w2 = (w2 << 6) | (v & 63);
        }
        long id = (w0 << 4) | (w1 >>> 56);
        int expiry = (int) (w1 >>> 24);
        long tag = ((w1 & 0xFFFFFFL) << 40) | (w2 >>> 2);
        if (bad < 0 || (w2 & 3) != 0 || id <= 0 || tag != mac.hash12(id, expiry)) {
            return 0; // a character outside base64url, non-canonical padding bits, not a server id, or forged
        }
        long remaining = (expiry & 0xFFFFFFFFL) - nowSeconds;
        if (remaining <= 0) {
            return 0;
        }
        return remaining < timeoutSeconds - refreshSeconds ? id | REFRESH : id;
    }

    /** The 6-bit value of a base64url character, or -1 (also for any character above 127), without branches. */
    private static int sextet(char c) {
        return DECODE[c & 0x7F] | ((127 - c) >> 31);
    }

    /** The value naming {@code serverId} until {@code nowSeconds + timeout}. */
    String encode(long serverId, long nowSeconds) {
        int expiry = (int) (nowSeconds + timeoutSeconds);
        long tag = mac.hash12(serverId, expiry);
        byte[] raw = new byte[20];
        for (int i = 0; i < 8; i++) {
            raw[i] = (byte) (serverId >>> (56 - 8 * i));
            raw[12 + i] = (byte) (tag >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            raw[8 + i] = (byte) (expiry >>> (24 - 8 * i));
        }
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The Set-Cookie edit that inserts (or re-issues) the cookie. */
    HeaderEdit setCookie(long serverId, boolean secure, long nowSeconds) {
        return HeaderEdit.add("Set-Cookie", name + "=" + encode(serverId, nowSeconds)
                + (secure ? secureAttributes : attributes));
    }
}
