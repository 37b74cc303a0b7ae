package dev.switchboard.engine.internal.persist;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Persistence keys as 64-bit numbers: masked client addresses and hashes of strings (or parts of them), with no
 * allocation for IPv4 and for strings. {@link #NO_KEY} means "this request has no key for the mode".
 * Stateless and thread-safe.
 */
public final class Keys {

    /** The request carries no key for the mode. */
    public static final long NO_KEY = Long.MIN_VALUE;

    private Keys() {
    }

    /**
     * The key of a client address: an IPv4 address masked to {@code mask4} bits is the address itself (tagged so
     * that it never equals an IPv6 key); an IPv6 address masked to {@code mask6} bits is hashed.
     */
    public static long address(InetAddress address, int mask4, int mask6) {
        if (address instanceof Inet4Address) {
            // Inet4Address.hashCode() is the address as an int (no copy of the byte array)
            int ip = address.hashCode();
            int masked = mask4 == 0 ? 0 : ip & (-1 << (32 - mask4));
            return (1L << 40) | (masked & 0xFFFFFFFFL);
        }
        byte[] b = address.getAddress();
        long h = 0x6a09e667f3bcc908L ^ mask6;
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, mask6 - i * 8));
            int masked = b[i] & (0xFF00 >> bits) & 0xFF;
            h = (h ^ masked) * 0x100000001b3L;
        }
        return finish(h | 1L << 62);
    }

    /** A 64-bit hash of {@code s[from, to)} (FNV-1a then a murmur3 finalizer), never {@link #NO_KEY}. */
    public static long hash(CharSequence s, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return finish(h);
    }

    /** A 64-bit hash of the whole of {@code s}. */
    public static long hash(CharSequence s) {
        return hash(s, 0, s.length());
    }

    /** Combines two keys (order matters), never {@link #NO_KEY}. */
    public static long combine(long a, long b) {
        return finish(a * 0x9E3779B97F4A7C15L + b);
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == NO_KEY ? NO_KEY + 1 : h;
    }
}
