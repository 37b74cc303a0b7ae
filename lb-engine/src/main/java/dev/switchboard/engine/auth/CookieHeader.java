package dev.switchboard.engine.auth;

/**
 * Finds and removes one cookie in a {@code Cookie} request header ({@code a=1; b=2}, RFC 6265 section 5.4), names
 * compared exactly. Stateless.
 */
final class CookieHeader {

    private CookieHeader() {
    }

    /** The value of the first cookie named {@code name}, or empty. */
    static String find(String header, String name) {
        int i = 0;
        int n = header.length();
        while (i < n) {
            int end = header.indexOf(';', i);
            if (end < 0) {
                end = n;
            }
            int start = skipSpaces(header, i, end);
            int eq = header.indexOf('=', start);
            if (eq > 0 && eq < end && header.regionMatches(start, name, 0, name.length())
                    && trimEnd(header, start, eq) - start == name.length()) {
                return header.substring(skipSpaces(header, eq + 1, end), trimEnd(header, eq + 1, end));
            }
            i = end + 1;
        }
        return "";
    }

    /** {@code header} without any cookie named {@code name}, joined with {@code "; "}; empty when none is left. */
    static String without(String header, String name) {
        StringBuilder out = new StringBuilder(header.length());
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String n = (eq < 0 ? p : p.substring(0, eq)).strip();
            if (!n.equals(name)) {
                out.append(out.length() == 0 ? "" : "; ").append(p);
            }
        }
        return out.toString();
    }

    private static int skipSpaces(String s, int from, int end) {
        while (from < end && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String s, int from, int end) {
        while (end > from && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return end;
    }
}
