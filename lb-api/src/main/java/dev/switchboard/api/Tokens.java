package dev.switchboard.api;

/** HTTP token syntax (RFC 9110 section 5.6.2), used to check header names and methods. */
final class Tokens {

    private static final String SPECIALS = "!#$%&'*+-.^_`|~";

    private Tokens() {
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || SPECIALS.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether a header value is free of CR, LF and NUL (which would split or truncate the header). */
    static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return false;
            }
        }
        return true;
    }
}
