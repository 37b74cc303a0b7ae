package dev.switchboard.tls.internal.hello;

import java.util.HexFormat;

/**
 * A bounds-checked cursor over part of a byte array. Reads never go past {@link #limit()}: a read that would
 * returns -1 and leaves the cursor where it was, so callers turn it into a "malformed" result instead of an
 * exception. Not thread-safe; one per parse.
 */
final class HelloReader {

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] buf;
    private int pos;
    private final int limit;
    private String problem = "";

    HelloReader(byte[] buf, int pos, int limit) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
    }

    int position() {
        return pos;
    }

    int limit() {
        return limit;
    }

    int remaining() {
        return limit - pos;
    }

    byte[] buffer() {
        return buf;
    }

    /** One unsigned byte, or -1 at the end. */
    int u8() {
        return pos < limit ? buf[pos++] & 0xff : -1;
    }

    /** One unsigned big-endian 16-bit value, or -1 when fewer than 2 bytes remain. */
    int u16() {
        if (limit - pos < 2) {
            return -1;
        }
        int v = (buf[pos] & 0xff) << 8 | buf[pos + 1] & 0xff;
        pos += 2;
        return v;
    }

    /** Skips {@code n} bytes; false (and no move) when fewer remain. */
    boolean skip(int n) {
        if (n < 0 || limit - pos < n) {
            return false;
        }
        pos += n;
        return true;
    }

    /**
     * Reads the legacy session ID of a ClientHello or ServerHello: a length byte (at most 32) and that many bytes.
     *
     * @return the ID in lower-case hex (empty for a zero-length ID), or null when it is malformed, with the reason
     *     in {@link #problem()}
     */
    String sessionId() {
        int length = u8();
        if (length < 0 || length > 32) {
            problem = length < 0 ? "truncated at the session ID" : "session ID length " + length + " exceeds 32";
            return null;
        }
        int start = pos;
        if (!skip(length)) {
            problem = "session ID of " + length + " bytes runs past the hello";
            return null;
        }
        return HEX.formatHex(buf, start, start + length);
    }

    /** Why the last {@link #sessionId()} returned null. */
    String problem() {
        return problem;
    }

    /** A reader over the next {@code n} bytes, advancing this one past them; null when fewer remain. */
    HelloReader slice(int n) {
        if (n < 0 || limit - pos < n) {
            return null;
        }
        HelloReader r = new HelloReader(buf, pos, pos + n);
        pos += n;
        return r;
    }
}
