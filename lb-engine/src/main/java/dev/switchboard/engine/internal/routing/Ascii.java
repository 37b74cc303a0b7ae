package dev.switchboard.engine.internal.routing;

/**
 * Case-insensitive comparison with an ASCII fast path: letters A-Z and a-z fold into each other with one
 * subtraction; a non-ASCII character on either side hands the rest of the comparison to
 * {@link String#regionMatches(boolean, int, String, int, int)}, so results equal Java's ignore-case rules.
 * Stateless and thread-safe.
 */
final class Ascii {

    private Ascii() {
    }

    /** {@code a.regionMatches(true, aFrom, b, bFrom, length)}, faster for ASCII text. */
    static boolean regionMatchesIgnoreCase(String a, int aFrom, String b, int bFrom, int length) {
        if (aFrom < 0 || bFrom < 0 || aFrom > a.length() - length || bFrom > b.length() - length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            char x = a.charAt(aFrom + k);
            char y = b.charAt(bFrom + k);
            if (x == y) {
                continue;
            }
            if ((x | y) >= 0x80) {
                return a.regionMatches(true, aFrom + k, b, bFrom + k, length - k);
            }
            if (lower(x) != lower(y)) {
                return false;
            }
        }
        return true;
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
