package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Persistence;

/**
 * The inserted persistence cookie: its value names the real server and an expiry, signed with SipHash-2-4 under
 * the configured (or generated) secret, so any gateway that shares the secret accepts it without a shared table,
 * across restarts. One entry is 20 bytes, base64url without padding, 27 characters: server id (8), expiry in epoch
 * seconds (4), tag (8), big-endian. A forged, truncated, garbled or expired entry decodes to "no cookie".
 * Immutable and thread-safe.
 *
 * <p><b>One name, several owners.</b> The cookie always carries exactly the configured name. Sub-services that keep
 * separate pins under one name (an inherited, non-shared persistence of a virtual service with several
 * sub-services, or sub-services that give the same name) share the one cookie: its value is a list of up to
 * {@value #MAX_ENTRIES} entries separated by {@code .}, each signed with its owner's key (so an entry verifies
 * only for its owner). On a request an owner takes the first entry that verifies under its key; when it (re-)issues
 * the cookie, the new value is its fresh entry first, then the entries of the request's cookie that belong to
 * other owners and have not expired (their expiry is readable without the key), in their order, so the least
 * recently issued one is dropped when the list is full. A value that is not such a list (a wrong length or
 * separator, more than {@value #MAX_LENGTH} characters) is ignored whole. With one owner the value is one entry,
 * as before. Two responses of different owners racing to the same client can each carry the other's older entry;
 * the later one wins, so a pin issued at that very moment may be lost (the client is scheduled afresh once).
 *
 * <p>Idle timeout: the expiry is {@code now + timeout}; a request whose entry has used up more than a tenth of
 * its timeout gets the cookie re-issued with a fresh expiry, so an active client never expires and an idle one
 * does after the timeout (within 10%).
 */
final class ActiveCookie {

    /** Set in {@link #decode}'s result when the cookie should be re-issued (a valid server id never has it). */
    static final long REFRESH = Long.MIN_VALUE;
    /** Characters of one entry. */
    static final int LENGTH = 27;
    /** Most entries (owners) one cookie carries. */
    static final int MAX_ENTRIES = 8;
    /** Longest value considered: {@link #MAX_ENTRIES} entries and their separators. */
    static final int MAX_LENGTH = MAX_ENTRIES * (LENGTH + 1) - 1;
    private static final char SEPARATOR = '.';

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
     * The server id named by this owner's entry of the cookie in {@code cookieHeader}, with {@link #REFRESH} set
     * when it should be re-issued; {@link dev.switchboard.api.spi.PersistenceStore#NONE} when there is no valid
     * entry. Allocates nothing; verifies at most {@value #MAX_ENTRIES} entries.
     */
    long decode(String cookieHeader, long nowSeconds) {
        long b = Cookies.find(cookieHeader, nameEquals);
        if (b < 0 || !isList(cookieHeader, (int) (b >>> 32), (int) b)) {
            return 0;
        }
        for (int at = (int) (b >>> 32); at < (int) b; at += LENGTH + 1) {
            long id = decodeEntry(cookieHeader, at, nowSeconds);
            if (id != 0) {
                return id;
            }
        }
        return 0;
    }

    /** Whether {@code s[start, end)} is one to {@link #MAX_ENTRIES} entries separated by {@code .}. */
    private static boolean isList(String s, int start, int end) {
        int length = end - start;
        if (length > MAX_LENGTH || (length + 1) % (LENGTH + 1) != 0) {
            return false;
        }
        for (int at = start + LENGTH; at < end; at += LENGTH + 1) {
            if (s.charAt(at) != SEPARATOR) {
                return false;
            }
        }
        return true;
    }

    /** The server id of the entry at {@code at} if it verifies under this owner's key and has not expired, or 0. */
    private long decodeEntry(String s, int at, long nowSeconds) {
        // 27 characters = 162 bits, MSB first: w0 holds bits 0..59, w1 bits 60..119, w2 bits 120..161
        long w0 = word(s, at, 10);
        long w1 = word(s, at + 10, 10);
        long w2 = word(s, at + 20, LENGTH - 20);
        if ((w0 | w1 | w2) < 0 || (w2 & 3) != 0) {
            return 0; // a character outside base64url, or non-canonical padding bits
        }
        long id = (w0 << 4) | (w1 >>> 56);
        int expiry = (int) (w1 >>> 24);
        long tag = ((w1 & 0xFFFFFFL) << 40) | (w2 >>> 2);
        if (id <= 0 || tag != mac.hash12(id, expiry)) {
            return 0; // not a server id, or forged, or another owner's entry
        }
        long remaining = (expiry & 0xFFFFFFFFL) - nowSeconds;
        if (remaining <= 0) {
            return 0;
        }
        return remaining < timeoutSeconds - refreshSeconds ? id | REFRESH : id;
    }

    /**
     * Whether the entry at {@code at} is another owner's live entry: well formed, not yet expired by its own
     * (unsigned, but only its owner believes it) expiry, and not verifying under this owner's key.
     */
    private boolean isOthers(String s, int at, long nowSeconds) {
        long w0 = word(s, at, 10);
        long w1 = word(s, at + 10, 10);
        long w2 = word(s, at + 20, LENGTH - 20);
        if ((w0 | w1 | w2) < 0 || (w2 & 3) != 0) {
            return false;
        }
        long id = (w0 << 4) | (w1 >>> 56);
        int expiry = (int) (w1 >>> 24);
        long tag = ((w1 & 0xFFFFFFL) << 40) | (w2 >>> 2);
        return id > 0 && (expiry & 0xFFFFFFFFL) > nowSeconds && tag != mac.hash12(id, expiry);
    }

    /** The sextets of {@code s[from, from + count)} packed MSB first ({@code count <= 10}), or -1 for a bad one. */
    private static long word(String s, int from, int count) {
        long w = 0;
        int bad = 0;
        for (int i = from; i < from + count; i++) {
            int v = sextet(s.charAt(i));
            bad |= v;
            w = (w << 6) | (v & 63);
        }
        return bad < 0 ? -1 : w;
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

    /**
     * The Set-Cookie edit that inserts (or re-issues) the cookie: this owner's fresh entry naming
     * {@code serverId}, then the other owners' live entries of {@code requestCookies} (the request's Cookie header,
     * or null), at most {@value #MAX_ENTRIES} in all.
     */
    HeaderEdit setCookie(long serverId, boolean secure, long nowSeconds, String requestCookies) {
        StringBuilder v = new StringBuilder(nameEquals.length() + MAX_LENGTH + secureAttributes.length());
        v.append(nameEquals).append(encode(serverId, nowSeconds));
        long b = Cookies.find(requestCookies, nameEquals);
        if (b >= 0 && isList(requestCookies, (int) (b >>> 32), (int) b)) {
            int kept = 1;
            for (int at = (int) (b >>> 32); at < (int) b && kept < MAX_ENTRIES; at += LENGTH + 1) {
                String entry = requestCookies.substring(at, at + LENGTH);
                if (isOthers(requestCookies, at, nowSeconds) && v.indexOf(entry, nameEquals.length()) < 0) {
                    v.append(SEPARATOR).append(entry);
                    kept++;
                }
            }
        }
        return HeaderEdit.add("Set-Cookie", v.append(secure ? secureAttributes : attributes).toString());
    }
}
