package dev.switchboard.examples.gateway.http;

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
 * together with {@code Transfer-Encoding}, for a transfer coding that does not end in {@code chunked}, and for an
 * HTTP/1.1 request with no or several {@code Host} headers; 505 for a version other than HTTP/1.0 and 1.1.
 * Stateless.
 */
final class RequestChecks {

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
                || !endsInChunked(h.getAll(HttpHeaderNames.TRANSFER_ENCODING)))) {
            return 400;
        }
        int hosts = h.getAll(HttpHeaderNames.HOST).size();
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

    private static boolean endsInChunked(List<String> codings) {
        String last = codings.get(codings.size() - 1);
        int comma = last.lastIndexOf(',');
        String coding = (comma < 0 ? last : last.substring(comma + 1)).trim();
        if (!coding.equalsIgnoreCase("chunked")) {
            return false;
        }
        // chunked must be applied exactly once (RFC 9112 section 6.1)
        int count = 0;
        for (String line : codings) {
            for (String c : line.split(",")) {
                if (c.trim().equalsIgnoreCase("chunked")) {
                    count++;
                }
            }
        }
        return count == 1;
    }
}
