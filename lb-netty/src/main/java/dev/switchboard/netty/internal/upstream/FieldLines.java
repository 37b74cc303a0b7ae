package dev.switchboard.netty.internal.upstream;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Splits the header lines of a head that {@link LineScanner} found into names and values, straight from the head's
 * bytes: a name is a shared {@link KnownHeaderNames} instance or an {@link AsciiString} over the head's array, a
 * value an {@link AsciiString} over the same array (no copy per line). While it splits it notes each line's
 * {@link HeaderFields} field in the table and reads the body's framing from the bytes: {@link #contentLength()},
 * and what {@code Transfer-Encoding} lists.
 *
 * <p>What it refuses (an {@link IllegalArgumentException} naming the line): a name that is not a token, including
 * whitespace before the colon (RFC 9112 section 5.1) and a line without a colon; a line that starts with whitespace
 * (obs-fold, refused as RFC 9112 section 5.2 allows); a value with a control character other than HTAB (CR, LF, NUL
 * and DEL included), or whitespace other than SP and HTAB around it; {@code Content-Length} on two lines, as a list,
 * or not a decimal number. Not thread-safe: one per decoder, read after each {@link #split}.
 */
final class FieldLines {

    private static final boolean[] TOKEN = new boolean[256];
    private static final byte[] CHUNKED = lower("chunked");

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private long contentLength;
    private boolean transferEncoding;
    private boolean chunked;
    private boolean chunkedLast;
    private boolean chunkedTwice;

    /** The {@code Content-Length} of the last head split, -1 without one. */
    long contentLength() {
        return contentLength;
    }

    /** Whether the last head had a {@code Transfer-Encoding} line. */
    boolean transferEncoding() {
        return transferEncoding;
    }

    /** Whether one of its codings is {@code chunked} (in any letter case). */
    boolean chunked() {
        return chunked;
    }

    /** Whether {@code chunked} is the last coding listed, over all its lines. */
    boolean chunkedLast() {
        return chunkedLast;
    }

    /** Whether {@code chunked} is listed more than once. */
    boolean chunkedTwice() {
        return chunkedTwice;
    }

    /**
     * Adds lines {@code first} to the last that {@code lines} found in {@code head} to {@code into}.
     *
     * @param trailers whether these are trailer lines: then {@code Content-Length}, {@code Transfer-Encoding} and
     *                 {@code Trailer} are left out (RFC 9110 section 6.5.1) and {@code into} validates what it gets
     * @throws IllegalArgumentException at the first line that is not a valid field line
     */
    void split(byte[] head, LineScanner lines, int first, HttpHeaders into, boolean trailers) {
        contentLength = -1;
        transferEncoding = false;
        chunked = false;
        chunkedLast = false;
        chunkedTwice = false;
        LineHeaders table = trailers ? null : (LineHeaders) into;
        for (int i = first; i < lines.lines(); i++) {
            int start = lines.start(i);
            int end = lines.end(i);
            int colon = start;
            while (colon < end && TOKEN[head[colon] & 0xFF]) {
                colon++;
            }
            if (colon == end || head[colon] != ':' || colon == start) {
                throw new IllegalArgumentException(colon == start && (head[start] == ' ' || head[start] == '\t')
                        ? "header line " + i + ": obs-fold (a line starting with whitespace)"
                        : "header line " + i + ": invalid character in the name or no colon right after it");
            }
            int from = valueStart(head, colon + 1, end, i);
            int to = end;
            while (to > from && (head[to - 1] == ' ' || head[to - 1] == '\t')) {
                to--;
            }
            int nameLength = colon - start;
            int field = HeaderFields.of(head, start, nameLength);
            if (trailers) {
                if (field != HeaderFields.CONTENT_LENGTH && field != HeaderFields.TRANSFER_ENCODING
                        && field != HeaderFields.TRAILER) {
                    into.add(new AsciiString(head, start, nameLength, false), value(head, from, to));
                }
                continue;
            }
            if (field == HeaderFields.CONTENT_LENGTH) {
                contentLength(head, from, to);
            } else if (field == HeaderFields.TRANSFER_ENCODING) {
                codings(head, from, to);
            }
            AsciiString name = KnownHeaderNames.find(head, start, nameLength);
            table.addDecoded(name != null ? name : new AsciiString(head, start, nameLength, false),
                    value(head, from, to), field);
        }
    }

    /** Where the value starts after optional SP and HTAB; checks every byte up to {@code end} on the way. */
    private static int valueStart(byte[] head, int from, int end, int line) {
        int start = end;
        for (int i = from; i < end; i++) {
            int b = head[i] & 0xFF;
            if (b < 0x20 && b != '\t' || b == 0x7F) {
                throw new IllegalArgumentException(String.format("header line %d: invalid value character 0x%02x",
                        line, b));
            }
            if (start == end && b != ' ' && b != '\t') {
                start = i;
            }
        }
        return start;
    }

    private static AsciiString value(byte[] head, int from, int to) {
        return from == to ? AsciiString.EMPTY_STRING : new AsciiString(head, from, to - from, false);
    }

    private void contentLength(byte[] head, int from, int to) {
        if (contentLength >= 0) {
            throw new IllegalArgumentException("Multiple Content-Length values found");
        }
        if (from == to) {
            throw new IllegalArgumentException("Content-Length value is not a number: (empty)");
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = head[i] - '0';
            if (d < 0 || d > 9 || n > (Long.MAX_VALUE - 9) / 10) {
                throw new IllegalArgumentException("Content-Length value is not a number: "
                        + new String(head, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            n = n * 10 + d;
        }
        contentLength = n;
    }

    /** The codings of one {@code Transfer-Encoding} line, after those of the lines before it. */
    private void codings(byte[] head, int from, int to) {
        transferEncoding = true;
        int begin = from;
        while (begin <= to) {
            int comma = begin;
            while (comma < to && head[comma] != ',') {
                comma++;
            }
            int s = begin;
            int e = comma;
            while (s < e && (head[s] == ' ' || head[s] == '\t')) {
                s++;
            }
            while (e > s && (head[e - 1] == ' ' || head[e - 1] == '\t')) {
                e--;
            }
            if (s < e) {
                chunkedLast = e - s == CHUNKED.length && equalsLower(head, s, CHUNKED);
                if (chunkedLast) {
                    chunkedTwice |= chunked;
                    chunked = true;
                }
            }
            begin = comma + 1;
        }
    }

    /**
     * Whether {@code lower.length} bytes from {@code start} are {@code lower} in any letter case. Only for token
     * bytes: letters and '-' compare right with a set 0x20 bit, and no other token byte turns into either.
     */
    static boolean equalsLower(byte[] b, int start, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            if ((b[start + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] lower(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
