package dev.switchboard.engine.internal.persist;

import java.util.List;

/**
 * Finds a named cookie in a {@code Cookie} request header or in {@code Set-Cookie} response headers without
 * allocating. Lenient with spacing, strict with bounds: malformed syntax, a header longer than
 * {@link #MAX_HEADER} characters or a value longer than {@link #MAX_VALUE} mean "no cookie", never an exception.
 * Stateless and thread-safe.
 */
final class Cookies {

    /** Longest Cookie header searched; longer ones count as having no persistence cookie. */
    static final int MAX_HEADER = 16_384;
    /** Longest cookie value considered. */
    static final int MAX_VALUE = 4_096;

    private Cookies() {
    }

    /**
     * The bounds of the value of the cookie whose {@code name=} is {@code nameEquals} in a Cookie header, packed as
     * {@code (start << 32) | end}, or -1 when absent or unusable. Surrounding double quotes are not part of the
     * value. Uses {@link String#indexOf(String, int)} (vectorized by the JVM) and accepts a hit only at a cookie
     * boundary: the start of the header, or after {@code ;} or white space.
     */
    static long find(String header, String nameEquals) {
        if (header == null || header.length() > MAX_HEADER) {
            return -1;
        }
        int from = 0;
        while (true) {
            int at = header.indexOf(nameEquals, from);
            if (at < 0) {
                return -1;
            }
            char before = at == 0 ? ';' : header.charAt(at - 1);
            if (before == ';' || before == ' ' || before == '\t') {
                int start = at + nameEquals.length();
                int end = header.indexOf(';', start);
                return bounds(header, start, end < 0 ? header.length() : end);
            }
            from = at + 1;
        }
    }

    /** The value of cookie {@code name} set by any of the {@code Set-Cookie} headers, or null. */
    static String findSet(List<String> setCookies, String name) {
        for (String header : setCookies) {
            if (header == null || header.length() > MAX_HEADER) {
                continue;
            }
            int start = 0;
            while (start < header.length() && header.charAt(start) == ' ') {
                start++;
            }
            int eq = header.indexOf('=', start);
            if (eq - start != name.length() || !header.startsWith(name, start)) {
                continue;
            }
            int end = header.indexOf(';', eq + 1);
            long b = bounds(header, eq + 1, end < 0 ? header.length() : end);
            if (b >= 0) {
                return header.substring((int) (b >>> 32), (int) b);
            }
        }
        return null;
    }

    private static long bounds(String s, int start, int end) {
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        if (end - start >= 2 && s.charAt(start) == '"' && s.charAt(end - 1) == '"') {
            start++;
            end--;
        }
        if (start >= end || end - start > MAX_VALUE) {
            return -1;
        }
        return ((long) start << 32) | end;
    }
}
