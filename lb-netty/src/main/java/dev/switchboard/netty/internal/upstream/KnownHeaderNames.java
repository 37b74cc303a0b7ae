package dev.switchboard.netty.internal.upstream;

import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * Header names that arrive on nearly every request or response, kept as shared {@link AsciiString}s so that a
 * decoder hands out the same instance instead of copying the bytes into a new one (and hashing it) per header
 * line. A name matches only byte for byte, so the case the peer used is what is forwarded. Immutable; thread-safe.
 *
 * <pre>{@code
 * AsciiString name = KnownHeaderNames.find(line, start, length);   // null when not a known name
 * }</pre>
 */
public final class KnownHeaderNames {

    private static final String[] NAMES = {
        // responses
        "Server", "Date", "Content-Type", "Content-Length", "Last-Modified", "Connection", "ETag", "Accept-Ranges",
        "Cache-Control", "Set-Cookie", "Transfer-Encoding", "Keep-Alive", "Vary", "Expires", "Location",
        "Content-Encoding", "Pragma", "Age", "X-Powered-By", "X-Content-Type-Options", "X-Frame-Options",
        "Strict-Transport-Security", "Content-Security-Policy", "Referrer-Policy", "Access-Control-Allow-Origin",
        "Persistent-Auth", "request-id", "X-AspNet-Version", "X-FEServer", "X-BEServer", "X-CalculatedBETarget",
        // requests
        "User-Agent", "Accept-Encoding", "Accept-Language", "Cookie", "Referer", "Origin", "Authorization",
        "Upgrade-Insecure-Requests", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest", "Sec-Fetch-User",
        "If-Modified-Since", "If-None-Match", "X-Requested-With", "Expect", "X-Forwarded-For", "X-Forwarded-Proto",
        "X-Forwarded-Host", "Forwarded", "Host", "Accept",
    };
    private static final int MAX_LENGTH = 32;
    private static final AsciiString[][] BY_LENGTH = new AsciiString[MAX_LENGTH + 1][];

    static {
        for (int len = 0; len <= MAX_LENGTH; len++) {
            final int l = len;
            BY_LENGTH[len] = Arrays.stream(NAMES).distinct().filter(n -> n.length() == l).map(AsciiString::cached)
                    .toArray(AsciiString[]::new);
        }
    }

    private KnownHeaderNames() {
    }

    /** The shared name equal to {@code length} bytes of {@code line} from {@code start}, or {@code null}. */
    public static AsciiString find(byte[] line, int start, int length) {
        if (length > MAX_LENGTH) {
            return null;
        }
        for (AsciiString known : BY_LENGTH[length]) {
            if (same(known.array(), known.arrayOffset(), line, start, length)) {
                return known;
            }
        }
        return null;
    }

    /** A plain loop: for names this short it costs less than {@code Arrays.equals}' range checks and set-up. */
    private static boolean same(byte[] a, int from, byte[] b, int start, int length) {
        for (int i = 0; i < length; i++) {
            if (a[from + i] != b[start + i]) {
                return false;
            }
        }
        return true;
    }
}
