package dev.switchboard.netty.internal.upstream;

import io.netty.util.AsciiString;

/** A header value read as a comma-separated list, as Netty's header tables read one. Stateless. */
final class CommaList {

    private CommaList() {
    }

    /** Whether one of the comma-separated elements of {@code list}, trimmed, is {@code value}. */
    static boolean contains(CharSequence list, CharSequence value, boolean ignoreCase) {
        int n = list.length();
        int begin = 0;
        while (begin <= n) {
            int end = begin;
            while (end < n && list.charAt(end) != ',') {
                end++;
            }
            int from = begin;
            int to = end;
            while (from < to && list.charAt(from) <= ' ') {
                from++;
            }
            while (to > from && list.charAt(to - 1) <= ' ') {
                to--;
            }
            if (to - from == value.length() && regionEquals(list, from, value, ignoreCase)) {
                return true;
            }
            begin = end + 1;
        }
        return false;
    }

    private static boolean regionEquals(CharSequence s, int from, CharSequence value, boolean ignoreCase) {
        for (int i = 0; i < value.length(); i++) {
            char a = s.charAt(from + i);
            char b = value.charAt(i);
            if (a != b && !(ignoreCase && AsciiString.toLowerCase(a) == AsciiString.toLowerCase(b))) {
                return false;
            }
        }
        return true;
    }
}
