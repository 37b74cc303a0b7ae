package dev.switchboard.netty.internal.upstream;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The start line of a head, from its bytes: a request line is {@code method SP target SP HTTP/d.d} with single
 * spaces (RFC 9112 section 3: a token method; a target without whitespace or control characters), a status line
 * {@code HTTP/d.d SP 3DIGIT [SP reason]} (a reason of SP, HTAB and visible or obs-text bytes; trailing whitespace
 * ignored). The usual methods, versions and statuses are Netty's shared constants, so that the common line makes
 * one string, the target. Anything else is an {@link IllegalArgumentException} naming what is wrong. Stateless.
 */
public final class StartLines {

    private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD, HttpMethod.PUT,
        HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.CONNECT, HttpMethod.TRACE};
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];
    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};
    private static final byte[] HTTP_LOWER = {'h', 't', 't', 'p'};
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_BYTES[i] = METHODS[i].name().getBytes(StandardCharsets.US_ASCII);
        }
        String chars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (int i = 0; i < chars.length(); i++) {
            TOKEN[chars.charAt(i)] = true;
        }
    }

    private StartLines() {
    }

    /** The request whose line is {@code line[0..end)}, with {@code headers} (filled later). */
    public static HttpRequest request(byte[] line, int end, HttpHeaders headers) {
        int sp1 = 0;
        while (sp1 < end && TOKEN[line[sp1] & 0xFF]) {
            sp1++;
        }
        if (sp1 == 0 || sp1 == end || line[sp1] != ' ') {
            throw new IllegalArgumentException("request line: the method is not a token followed by one space");
        }
        int sp2 = sp1 + 1;
        while (sp2 < end && line[sp2] != ' ') {
            int b = line[sp2] & 0xFF;
            if (b < 0x21 || b == 0x7F) {
                throw new IllegalArgumentException(String.format("request line: character 0x%02x in the target", b));
            }
            sp2++;
        }
        if (sp2 == sp1 + 1 || sp2 == end) {
            throw new IllegalArgumentException("request line: no target, or no space before the version");
        }
        HttpVersion version = version(line, sp2 + 1, end);
        String target = new String(line, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        return new DefaultHttpRequest(version, method(line, sp1), target, headers);
    }

    /** The response whose status line is {@code line[0..end)}, with {@code headers} (filled later). */
    public static HttpResponse response(byte[] line, int end, HttpHeaders headers) {
        if (end < 12 || line[8] != ' ') {
            throw new IllegalArgumentException("status line: not HTTP/d.d and a 3-digit status");
        }
        HttpVersion version = version(line, 0, 8);
        int code = 0;
        for (int i = 9; i < 12; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("status line: the status is not 3 digits");
            }
            code = code * 10 + d;
        }
        int to = end;
        while (to > 12 && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        if (to > 12 && line[12] != ' ') {
            throw new IllegalArgumentException("status line: no space after the status");
        }
        int from = Math.min(13, to);
        for (int i = from; i < to; i++) {
            int b = line[i] & 0xFF;
            if (b < 0x20 && b != '\t' || b == 0x7F) {
                throw new IllegalArgumentException(String.format("status line: character 0x%02x in the reason", b));
            }
        }
        return new DefaultHttpResponse(version, status(code, line, from, to), headers);
    }

    private static HttpMethod method(byte[] line, int length) {
        for (int i = 0; i < METHODS.length; i++) {
            byte[] m = METHOD_BYTES[i];
            if (m.length == length && Arrays.equals(m, 0, length, line, 0, length)) {
                return METHODS[i];
            }
        }
        return HttpMethod.valueOf(new String(line, 0, length, StandardCharsets.US_ASCII));
    }

    /** {@code HTTP/d.d} (the name in any letter case, as Netty reads it). */
    private static HttpVersion version(byte[] line, int from, int to) {
        if (to - from == 8 && Arrays.equals(line, from, from + 5, HTTP_SLASH, 0, 5) && line[from + 5] == '1'
                && line[from + 6] == '.') {
            if (line[from + 7] == '1') {
                return HttpVersion.HTTP_1_1;
            }
            if (line[from + 7] == '0') {
                return HttpVersion.HTTP_1_0;
            }
        }
        if (to - from != 8 || !FieldLines.equalsLower(line, from, HTTP_LOWER)
                || line[from + 4] != '/' || !isDigit(line[from + 5]) || line[from + 6] != '.'
                || !isDigit(line[from + 7])) {
            throw new IllegalArgumentException("invalid version format (expected: HTTP/d.d)");
        }
        return HttpVersion.valueOf(new String(line, from, 8, StandardCharsets.US_ASCII));
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static HttpResponseStatus status(int code, byte[] line, int from, int to) {
        HttpResponseStatus known = HttpResponseStatus.valueOf(code);
        String reason = known.reasonPhrase();
        int length = to - from;
        if (reason.length() == length) {
            boolean same = true;
            for (int i = 0; i < length && same; i++) {
                same = reason.charAt(i) == (line[from + i] & 0xFF);
            }
            if (same) {
                return known;
            }
        }
        return new HttpResponseStatus(code, new String(line, from, length, StandardCharsets.ISO_8859_1));
    }
}
