package dev.switchboard.engine.internal.routing;

import java.util.Objects;

/**
 * Normalizes the {@code Host} header (HTTP/1.1) or {@code :authority} (HTTP/2) to the bare host that host
 * rules and virtual-service selection compare: ASCII letters lower-cased, the port and one trailing dot
 * removed.
 *
 * <p>Accepted: a registered name or IPv4 address of letters, digits, {@code .}, {@code -} and {@code _}
 * (an internationalized name must arrive as punycode, {@code xn--...}), or an IPv6 literal in brackets;
 * either may be followed by {@code :port} with a port of 1 to 5 digits, 0..65535. Rejected: an empty host,
 * an empty label ({@code a..b}, {@code .a}), control characters, spaces, non-ASCII and other characters, an
 * invalid port, an unclosed {@code [}, a malformed IPv6 literal (zone IDs and IPvFuture are not accepted),
 * a host of more than 255 characters (without port and trailing dot).
 *
 * <p>A host that is already normalized (lower case, no port, no trailing dot) is returned as the same
 * instance, after one pass over its characters and without allocating.
 *
 * <pre>{@code
 * HostNormalizer.normalize("Mail.Example.COM:443")  // "mail.example.com"
 * HostNormalizer.normalize("[2001:DB8::1]:8443")    // "[2001:db8::1]"
 * HostNormalizer.normalize("mail.example.com")      // the same instance
 * HostNormalizer.normalize("a..b")                  // throws BadRequestException (field "host")
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class HostNormalizer {

    /** Reg-name characters that need nothing: lower-case letters, digits, '-' and '_' (not '.', ':' or A-Z). */
    private static final boolean[] LOWER_NAME_CHAR = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            LOWER_NAME_CHAR[c] = isRegNameChar(c);
        }
    }

    /** The most characters a host may have, without port and trailing dot. */
    static final int MAX_HOST_LENGTH = 255;

    /** A longer authority cannot hold a valid host: host, trailing dot, {@code :65535}. */
    private static final int MAX_AUTHORITY_LENGTH = MAX_HOST_LENGTH + 1 + 6;

    private static final String FIELD = "host";

    private HostNormalizer() {
    }

    /**
     * Returns the normalized host of {@code authority}.
     *
     * @param authority the {@code Host} header or {@code :authority} value, possibly with a port
     * @return the host, lower case, without port and trailing dot; {@code authority} itself when already so
     * @throws BadRequestException  with field {@code "host"} when the value is rejected by a rule above
     * @throws NullPointerException when {@code authority} is null
     */
    public static String normalize(String authority) {
        Objects.requireNonNull(authority, "authority");
        int length = authority.length();
        if (length == 0) {
            throw reject("host is empty", authority);
        }
        if (length > MAX_AUTHORITY_LENGTH) {
            throw reject("host too long", authority);
        }
        if (authority.charAt(0) == '[') {
            return normalizeIpLiteral(authority);
        }
        return normalizeRegName(authority);
    }

    private static String normalizeRegName(String authority) {
        int length = authority.length();
        boolean upperCase = false;
        int labelStart = 0;
        int i = 0;
        for (; i < length; i++) {
            char c = authority.charAt(i);
            if (c < 128 && LOWER_NAME_CHAR[c]) {
                continue; // the common case: one table load per character
            }
            if (c == ':') {
                break;
            } else if (c == '.') {
                if (i == labelStart) {
                    throw reject("empty label", authority);
                }
                labelStart = i + 1;
            } else if (c >= 'A' && c <= 'Z') {
                upperCase = true;
            } else if (!isRegNameChar(c)) {
                throw rejectChar(c, authority, "invalid character");
            }
        }
        int hostEnd = i;
        if (hostEnd == 0) {
            throw reject("host is empty", authority);
        }
        int end = authority.charAt(hostEnd - 1) == '.' ? hostEnd - 1 : hostEnd;
        if (end > MAX_HOST_LENGTH) {
            throw reject("host too long", authority);
        }
        if (hostEnd < length) {
            checkPort(authority, hostEnd + 1);
        }
        if (!upperCase && end == length) {
            return authority;
        }
        return upperCase ? toLowerCase(authority, end) : authority.substring(0, end);
    }

    private static String normalizeIpLiteral(String authority) {
        int length = authority.length();
        int close = authority.indexOf(']');
        if (close < 0) {
            throw reject("unclosed '['", authority);
        }
        if (close == 1) {
            throw reject("host is empty", authority);
        }
        boolean upperCase = false;
        for (int i = 1; i < close; i++) {
            char c = authority.charAt(i);
            if (c >= 'A' && c <= 'F') {
                upperCase = true;
            } else if (!isHexDigit(c) && c != ':' && c != '.') {
                throw rejectChar(c, authority, "invalid character in IPv6 address");
            }
        }
        if (!isIpv6(authority, 1, close)) {
            throw reject("invalid IPv6 address", authority);
        }
        int hostEnd = close + 1;
        if (hostEnd < length) {
            if (authority.charAt(hostEnd) != ':') {
                throw reject("unexpected character after ']'", authority);
            }
            checkPort(authority, hostEnd + 1);
        }
        if (!upperCase && hostEnd == length) {
            return authority;
        }
        return upperCase ? toLowerCase(authority, hostEnd) : authority.substring(0, hostEnd);
    }

    /**
     * Whether {@code s[from, to)}, made of hex digits, colons and dots only, is an RFC 4291 text address:
     * eight groups of 1-4 hex digits, or fewer with one {@code ::}, the last two optionally as dotted IPv4.
     */
    private static boolean isIpv6(String s, int from, int to) {
        int groups = 0;
        boolean compressed = false;
        int i = from;
        if (to - from >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
            compressed = true;
            i += 2;
            if (i == to) {
                return true;
            }
        }
        while (true) {
            int start = i;
            while (i < to && isHexDigit(s.charAt(i))) {
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                groups += 2;
                return isIpv4(s, start, to) && (compressed ? groups <= 7 : groups == 8);
            }
            int digits = i - start;
            if (digits == 0 || digits > 4) {
                return false;
            }
            groups++;
            if (i == to) {
                break;
            }
            i++; // a ':' since only hex digits, ':' and '.' get here
            if (i == to) {
                return false;
            }
            if (s.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
                if (i == to) {
                    break;
                }
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    /** Whether {@code s[from, to)} is a dotted quad of decimal numbers 0..255 with 1-3 digits each. */
    private static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + s.charAt(i) - '0';
                i++;
            }
            if (i == start || value > 255) {
                return false;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    /** Checks the port in {@code authority[from, end)}: 1-5 decimal digits, at most 65535. */
    private static void checkPort(String authority, int from) {
        int digits = authority.length() - from;
        if (digits == 0) {
            throw reject("port is empty", authority);
        }
        if (digits > 5) {
            throw reject("invalid port", authority);
        }
        int port = 0;
        for (int i = from; i < authority.length(); i++) {
            char c = authority.charAt(i);
            if (c < '0' || c > '9') {
                throw reject("invalid port", authority);
            }
            port = port * 10 + c - '0';
        }
        if (port > 65535) {
            throw reject("port out of range (expected: 0..65535)", authority);
        }
    }

    private static String toLowerCase(String s, int end) {
        char[] out = new char[end];
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            out[i] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return new String(out);
    }

    /** Lower-case letters, digits, {@code -} and {@code _}; upper case and {@code .} are handled apart. */
    private static boolean isRegNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static BadRequestException rejectChar(char c, String authority, String otherwise) {
        if (c > 0x7F) {
            return reject("non-ASCII character is not allowed (use punycode)", authority);
        }
        if (c < 0x20 || c == 0x7F) {
            return reject("control character is not allowed", authority);
        }
        if (c == ' ') {
            return reject("space is not allowed", authority);
        }
        return reject(otherwise, authority);
    }

    private static BadRequestException reject(String reason, String authority) {
        return new BadRequestException(FIELD, reason, authority);
    }
}
