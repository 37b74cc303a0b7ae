package dev.switchboard.health.internal;

/**
 * Byte-level pieces of an HTTP/1.1 response head, for {@link HttpExchange}: a probe's answer is parsed where it was
 * read, without decoding it into strings or running a regular expression; only the values of the few headers that
 * matter become strings.
 */
final class HeadBytes {

    private HeadBytes() {
    }

    /** The index of the first {@code '\n'} in {@code [from, to)}, or {@code to}. */
    static int lineEnd(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return to;
    }

    /** {@code to}, or {@code to - 1} when the line ends in {@code '\r'} (before its {@code '\n'}). */
    static int withoutCr(byte[] b, int from, int to) {
        return to > from && b[to - 1] == '\r' ? to - 1 : to;
    }

    /**
     * Whether {@code [0, end)} is a status line: {@code HTTP/d.d ddd}, then nothing or a space and a reason without
     * CR.
     */
    static boolean isStatusLine(byte[] b, int end) {
        if (end < 12 || b[0] != 'H' || b[1] != 'T' || b[2] != 'T' || b[3] != 'P' || b[4] != '/' || !digit(b[5])
                || b[6] != '.' || !digit(b[7]) || b[8] != ' ' || !digit(b[9]) || !digit(b[10]) || !digit(b[11])) {
            return false;
        }
        if (end == 12) {
            return true;
        }
        if (b[12] != ' ') {
            return false;
        }
        for (int i = 13; i < end; i++) {
            if (b[i] == '\r') {
                return false;
            }
        }
        return true;
    }

    /** The three-digit status of a status line. */
    static int status(byte[] b) {
        return (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** The first index in {@code [from, to)} that is not a space or control character (as {@link String#trim}). */
    static int trimStart(byte[] b, int from, int to) {
        while (from < to && (b[from] & 0xff) <= ' ') {
            from++;
        }
        return from;
    }

    /** The end of {@code [from, to)} without trailing spaces and control characters (as {@link String#trim}). */
    static int trimEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] & 0xff) <= ' ') {
            to--;
        }
        return to;
    }

    /** Whether {@code [from, to)} is {@code lowerCase} in any ASCII letter case. */
    static boolean is(byte[] b, int from, int to, String lowerCase) {
        if (to - from != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < lowerCase.length(); i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the comma-separated {@code value} holds {@code token} in any letter case. */
    static boolean hasToken(String value, String token) {
        for (String t : value.split(",")) {
            if (t.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code s} quoted for a reason: its first 64 characters, CR left out, other controls and non-ASCII as
     * {@code \xNN}.
     */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < Math.min(s.length(), 64); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else if (c != '\r') {
                b.append(String.format("\\x%02x", (int) c));
            }
        }
        return b.append(s.length() > 64 ? "...'" : "'").toString();
    }
}
