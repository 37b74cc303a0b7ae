package dev.switchboard.netty.internal.upstream;

import io.netty.util.AsciiString;

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
    private static final int MASK = 255;
    /** Open addressing on {@link #slot}, at most a quarter full: a lookup compares one name, rarely two. */
    private static final AsciiString[] TABLE = new AsciiString[MASK + 1];

    static {
        for (String name : NAMES) {
            AsciiString known = AsciiString.cached(name);
            byte[] b = known.array();
            int i = slot(b, known.arrayOffset(), known.length());
            while (TABLE[i] != null && !TABLE[i].contentEquals(known)) {
                i = (i + 1) & MASK;
            }
            TABLE[i] = known;
        }
    }

    private KnownHeaderNames() {
    }

    /** The shared name equal to {@code length} bytes of {@code line} from {@code start}, or {@code null}. */
    public static AsciiString find(byte[] line, int start, int length) {
        if (length == 0 || length > MAX_LENGTH) {
            return null;
        }
        for (int i = slot(line, start, length);; i = (i + 1) & MASK) {
            AsciiString known = TABLE[i];
            if (known == null) {
                return null;
            }
            if (known.length() == length && same(known.array(), known.arrayOffset(), line, start, length)) {
                return known;
            }
        }
    }

    private static int slot(byte[] b, int start, int length) {
        int h = length * 31 + b[start];
        h = h * 31 + b[start + length - 1];
        h = h * 31 + b[start + (length >> 1)];
        return (h ^ h >>> 7) & MASK;
    }

    /** A plain loop: names are short, and {@code Arrays.equals} on ranges costs more than it saves here. */
    private static boolean same(byte[] a, int aFrom, byte[] b, int bFrom, int length) {
        for (int i = 0; i < length; i++) {
            if (a[aFrom + i] != b[bFrom + i]) {
                return false;
            }
        }
        return true;
    }
}
