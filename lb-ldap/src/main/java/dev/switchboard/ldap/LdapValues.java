package dev.switchboard.ldap;

/**
 * Escaping of a user name before it goes into a distinguished name (RFC 4514) or a search filter (RFC 4515), so
 * that no character of it can change the structure of the DN or the filter: {@code *)(uid=*} in a filter becomes
 * the literal value {@code \2a\29\28uid=\2a}, which matches nobody. Stateless.
 */
final class LdapValues {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LdapValues() {
    }

    /**
     * {@code value} as an RFC 4514 attribute value: {@code " + , ; < > \ =} with a backslash, a leading space or
     * {@code #} and a trailing space with a backslash, NUL and other control characters as {@code \XX}.
     */
    static String dnValue(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                hex(out, c);
            } else if ("\"+,;<>\\=".indexOf(c) >= 0
                    || (i == 0 && (c == ' ' || c == '#'))
                    || (i == value.length() - 1 && c == ' ')) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code value} as an RFC 4515 assertion value: {@code * ( ) \} and NUL as {@code \2a \28 \29 \5c \00}. */
    static String filterValue(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '*' || c == '(' || c == ')' || c == '\\' || c == 0) {
                hex(out, c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void hex(StringBuilder out, char c) {
        out.append('\\').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }
}
