package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.internal.upstream.HeaderFields;
import dev.switchboard.netty.internal.upstream.LineHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;

/**
 * What the gateway refuses in a request head before the engine sees it, with the status to answer: 414 for a
 * request line over the limit, 431 for a head over the limit, 400 for anything the decoder could not parse
 * (invalid characters, a bad chunk size, conflicting or repeated {@code Content-Length}), for {@code Content-Length}
 * together with {@code Transfer-Encoding}, for any {@code Transfer-Encoding} but exactly {@code chunked}, and for an
 * HTTP/1.1 request with no or several {@code Host} headers; 505 for a version other than HTTP/1.0 and 1.1.
 *
 * <p>{@code Transfer-Encoding} must name one coding, {@code chunked}, once over all its lines: in any letter case
 * (coding names are case-insensitive, RFC 9112 section 7) and with optional whitespace around it (list syntax,
 * RFC 9110 section 5.6.1), but no other coding ({@code gzip, chunked}, {@code identity}), no repetition
 * ({@code chunked, chunked}, or two lines of {@code chunked}), no empty list element and no parameter. The gateway
 * decodes chunked framing only and forwards the body re-framed as {@code Transfer-Encoding: chunked}; a coding it
 * does not apply itself would reach the real server with a body framed differently from what the header says, and
 * a real server that reads the framing differently sees a second, smuggled request.
 * Stateless.
 */
final class RequestChecks {

    private static final String CHUNKED = "chunked";

    private RequestChecks() {
    }

    /** The status to refuse {@code head} with, or 0 when it may go on. */
    static int refusal(HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            Throwable cause = head.decoderResult().cause();
            if (cause instanceof TooLongHttpLineException) {
                return 414;
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return 431;
            }
            return 400;
        }
        if (head.protocolVersion().majorVersion() != 1 || head.protocolVersion().minorVersion() > 1) {
            return 505;
        }
        HttpHeaders h = head.headers();
        boolean hasLength = h.contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean hasCoding = h.contains(HttpHeaderNames.TRANSFER_ENCODING);
        if (hasLength && hasCoding) {
            return 400;
        }
        if (hasLength) {
            List<String> lengths = h.getAll(HttpHeaderNames.CONTENT_LENGTH);
            if (lengths.size() > 1 || !isDigits(lengths.get(0))) {
                return 400;
            }
        }
        if (hasCoding && (head.protocolVersion().equals(HttpVersion.HTTP_1_0)
                || !onlyChunked(h.getAll(HttpHeaderNames.TRANSFER_ENCODING)))) {
            return 400;
        }
        int hosts = h instanceof LineHeaders table ? table.count(HeaderFields.HOST)
                : h.getAll(HttpHeaderNames.HOST).size(); // no list per request for the decoders' tables
        if (hosts > 1 || hosts == 0 && head.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return 400;
        }
        return 0;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether the lines of {@code Transfer-Encoding} list exactly one coding, {@code chunked}. */
    static boolean onlyChunked(List<String> lines) {
        if (lines.size() != 1) {
            return false;
        }
        String value = lines.get(0);
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        return end - start == CHUNKED.length() && value.regionMatches(true, start, CHUNKED, 0, CHUNKED.length());
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
