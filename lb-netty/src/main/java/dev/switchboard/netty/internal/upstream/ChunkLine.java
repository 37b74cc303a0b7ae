package dev.switchboard.netty.internal.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.InvalidChunkExtensionException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * A chunk-size line (RFC 9112 section 7.1): hex digits, then optionally whitespace and chunk extensions
 * ({@code ;name[=token|"quoted"]}...), checked as Netty's decoder checks them. A size that is empty, not hex, over
 * {@code Integer.MAX_VALUE}, or followed by anything but extensions is a {@link NumberFormatException}; a malformed
 * extension an {@link InvalidChunkExtensionException}. Extensions are checked, then ignored. Stateless.
 */
final class ChunkLine {

    private static final int NAME = 1;
    private static final int VALUE_START = 2;
    private static final int QUOTED = 3;
    private static final int ESCAPE = 4;
    private static final int QUOTED_END = 5;
    private static final int TOKEN = 6;
    private static final String SEPARATORS = "(),/:<=>?@[\\]{}";

    private ChunkLine() {
    }

    /**
     * Reads the chunk-size line at {@code in}'s reader index: the size it announces, the line consumed; or -1 while
     * the line is not all in. A line must end in CRLF and have at most {@code maxLine} bytes before it.
     *
     * @throws TooLongHttpLineException when the line is longer
     */
    static int read(ByteBuf in, int maxLine) {
        int r = in.readerIndex();
        int n = in.readableBytes();
        int lf = n == 0 ? -1 : in.indexOf(r, r + (int) Math.min(n, maxLine + 2L), (byte) '\n');
        if (lf < 0 && n > maxLine + 1 || lf - 1 - r > maxLine) {
            throw new TooLongHttpLineException("An HTTP line is larger than " + maxLine + " bytes.");
        }
        if (lf < 0) {
            return -1;
        }
        if (lf == r || in.getByte(lf - 1) != '\r') {
            throw new InvalidChunkExtensionException("chunk-size line without CRLF");
        }
        int size = size(in, r, lf - 1);
        in.readerIndex(lf + 1);
        return size;
    }

    /** The size that {@code buf}'s bytes {@code from} to {@code to} (the line without its CRLF) announce. */
    static int size(ByteBuf buf, int from, int to) {
        long size = 0;
        int i = from;
        for (; i < to; i++) {
            int digit = Character.digit(buf.getByte(i), 16);
            if (digit < 0) {
                break;
            }
            size = size * 16 + digit;
            if (size > Integer.MAX_VALUE) {
                throw new NumberFormatException("Chunk size overflow: " + size);
            }
        }
        if (i == from) {
            throw new NumberFormatException("Empty chunk size");
        }
        if (i < to) {
            int s = i;
            while (s < to && (buf.getByte(s) == ' ' || buf.getByte(s) == '\t')) {
                s++;
            }
            if (s == to || buf.getByte(s) != ';') {
                throw new NumberFormatException("Invalid character in chunk size");
            }
            extensions(buf, s + 1, to);
        }
        return (int) size;
    }

    private static void extensions(ByteBuf buf, int from, int to) {
        int state = NAME;
        for (int i = from; i < to; i++) {
            state = next(state, buf.getByte(i) & 0xFF);
        }
        if (state == QUOTED || state == ESCAPE || state == VALUE_START) {
            throw new InvalidChunkExtensionException("Invalid chunk extension");
        }
    }

    private static int next(int state, int b) {
        boolean visible = b >= 0x21 && b <= 0x7E;
        boolean separator = SEPARATORS.indexOf(b) >= 0;
        switch (state) {
            case NAME:
                if (b == '=') {
                    return VALUE_START;
                }
                if (visible && !separator || b == ' ' || b == '\t') {
                    return NAME;
                }
                break;
            case VALUE_START:
                if (b == ' ' || b == '\t') {
                    return VALUE_START;
                }
                if (b == '"') {
                    return QUOTED;
                }
                if (visible && !separator) {
                    return TOKEN;
                }
                break;
            case QUOTED:
                if (b == '\\') {
                    return ESCAPE;
                }
                if (b == '"') {
                    return QUOTED_END;
                }
                if (b == '\t' || b == ' ' || b == '!' || b >= 0x23 && b <= 0x7E || b >= 0x80) {
                    return QUOTED;
                }
                break;
            case ESCAPE:
                if (b == '\t' || b == ' ' || visible || b >= 0x80) {
                    return QUOTED;
                }
                break;
            case QUOTED_END:
                if (b == ' ' || b == '\t') {
                    return QUOTED_END;
                }
                if (b == ';') {
                    return NAME;
                }
                break;
            default: // TOKEN
                if (b == ';') {
                    return NAME;
                }
                if (visible && !separator) {
                    return TOKEN;
                }
                break;
        }
        throw new InvalidChunkExtensionException("Invalid chunk extension");
    }
}
