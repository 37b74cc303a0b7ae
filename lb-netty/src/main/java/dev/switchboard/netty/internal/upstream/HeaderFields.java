package dev.switchboard.netty.internal.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;

/**
 * The header fields the proxy itself reads or drops (framing, keep-alive, hop-by-hop, host, upgrade, expect, the
 * forwarded headers), each a small number: {@link LineHeaders} notes the field of every line as it is added, so
 * that asking for one of these is a bit test and a byte scan instead of a name comparison per line. A name is the
 * field in any ASCII letter case; any other name is {@link #OTHER}. Stateless.
 *
 * <pre>{@code
 * int field = HeaderFields.of(HttpHeaderNames.CONNECTION);   // HeaderFields.CONNECTION
 * }</pre>
 */
public final class HeaderFields {

    /** Not one of the fields below. */
    public static final int OTHER = 0;
    public static final int CONTENT_LENGTH = 1;
    public static final int TRANSFER_ENCODING = 2;
    public static final int CONNECTION = 3;
    public static final int KEEP_ALIVE = 4;
    public static final int HOST = 5;
    public static final int UPGRADE = 6;
    public static final int EXPECT = 7;
    public static final int PROXY_CONNECTION = 8;
    public static final int TE = 9;
    public static final int TRAILER = 10;
    public static final int PROXY_AUTHENTICATE = 11;
    public static final int X_FORWARDED_FOR = 12;
    public static final int X_FORWARDED_PROTO = 13;
    public static final int X_FORWARDED_HOST = 14;
    public static final int FORWARDED = 15;
    public static final int SEC_WEBSOCKET_KEY1 = 16;
    public static final int SEC_WEBSOCKET_KEY2 = 17;

    /** By field: Netty's name (lower case), which callers usually pass, so that it is recognised by identity. */
    private static final AsciiString[] NAMES = {null, HttpHeaderNames.CONTENT_LENGTH,
        HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.HOST,
        HttpHeaderNames.UPGRADE, HttpHeaderNames.EXPECT, AsciiString.cached("proxy-connection"), HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER, HttpHeaderNames.PROXY_AUTHENTICATE, AsciiString.cached("x-forwarded-for"),
        AsciiString.cached("x-forwarded-proto"), AsciiString.cached("x-forwarded-host"),
        AsciiString.cached("forwarded"), HttpHeaderNames.SEC_WEBSOCKET_KEY1, HttpHeaderNames.SEC_WEBSOCKET_KEY2};
    private static final byte[][] LOWER = new byte[NAMES.length][];
    private static final int MAX_LENGTH = 18;
    private static final int[][] BY_LENGTH = new int[MAX_LENGTH + 1][];

    static {
        for (int f = 1; f < NAMES.length; f++) {
            LOWER[f] = NAMES[f].toString().getBytes(StandardCharsets.US_ASCII);
        }
        for (int len = 0; len <= MAX_LENGTH; len++) {
            final int l = len;
            BY_LENGTH[len] = IntStream.range(1, NAMES.length).filter(f -> LOWER[f].length == l).toArray();
        }
    }

    private HeaderFields() {
    }

    /** The field of header name {@code name}, in any ASCII letter case. */
    public static int of(CharSequence name) {
        int length = name.length();
        if (length > MAX_LENGTH) {
            return OTHER;
        }
        for (int f : BY_LENGTH[length]) {
            if (name == NAMES[f] || equalsLower(name, LOWER[f])) {
                return f;
            }
        }
        return OTHER;
    }

    /**
     * The field of the name in {@code length} bytes of {@code b} from {@code start}. Only for token bytes (a
     * name {@link FieldLines} checked): they compare right with a set 0x20 bit.
     */
    static int of(byte[] b, int start, int length) {
        if (length > MAX_LENGTH) {
            return OTHER;
        }
        for (int f : BY_LENGTH[length]) {
            if (FieldLines.equalsLower(b, start, LOWER[f])) {
                return f;
            }
        }
        return OTHER;
    }

    /** The bit of {@code field} in a set of fields. */
    static int bit(int field) {
        return 1 << field;
    }

    private static boolean equalsLower(CharSequence name, byte[] lower) {
        if (name instanceof AsciiString a) {
            byte[] b = a.array();
            int offset = a.arrayOffset();
            for (int i = 0; i < lower.length; i++) {
                int c = b[offset + i];
                if (c != lower[i] && (c < 'A' || c > 'Z' || c + 32 != lower[i])) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < lower.length; i++) {
            char c = name.charAt(i);
            if (c != lower[i] && (c < 'A' || c > 'Z' || c + 32 != lower[i])) {
                return false;
            }
        }
        return true;
    }
}
