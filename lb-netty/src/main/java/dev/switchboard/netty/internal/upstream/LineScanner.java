package dev.switchboard.netty.internal.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Arrays;

/**
 * Finds the lines of an HTTP/1.1 head (a start line and header lines up to the empty line, or the trailer lines
 * after a last chunk) in a decoder's cumulation without consuming it: {@link #scan} answers the head's length once
 * its empty line is in, and keeps its place between calls, so a head that comes in many reads is searched once
 * (offsets count from the reader index, which does not move until the head is taken). Line ends are found with
 * {@link ByteBuf#indexOf}, a word at a time; {@link #copy} then takes the whole head out in one copy.
 *
 * <p>Every line must end in CRLF: a bare LF is an {@link InvalidLineSeparatorException}. The start line may have
 * {@code maxLine} bytes (CRLF not counted) and the header lines {@code maxHeaders} together, as Netty's decoder counts
 * them: over that is a {@link TooLongHttpLineException} or {@link TooLongHttpHeaderException}, raised as soon as the
 * bytes in exceed the limit, before the line ends. Not thread-safe: one per decoder.
 */
final class LineScanner {

    private int[] ends = new int[16];
    private int lines;
    private int scanned;
    private int headerBytes;

    /** Forgets the head scanned so far (the next {@link #scan} starts at the reader index). */
    void reset() {
        lines = 0;
        scanned = 0;
        headerBytes = 0;
    }

    /** The number of lines found, the empty line not counted. */
    int lines() {
        return lines;
    }

    /** Where line {@code i} ends in {@link #copy}'s array: the offset of its CR. */
    int end(int i) {
        return ends[i];
    }

    /** Where line {@code i} starts in {@link #copy}'s array. */
    int start(int i) {
        return i == 0 ? 0 : ends[i - 1] + 2;
    }

    /**
     * The length of the head at {@code buf}'s reader index up to and including its empty line, or -1 while it is
     * not all in.
     *
     * @param maxLine    the longest start line, or -1 when there is none (trailers: header lines only)
     * @param maxHeaders the most bytes of header lines together
     */
    int scan(ByteBuf buf, int maxLine, int maxHeaders) {
        int base = buf.readerIndex();
        int readable = buf.readableBytes();
        for (;;) {
            boolean first = lines == 0 && maxLine >= 0;
            int max = first ? maxLine : maxHeaders - headerBytes;
            int from = scanned;
            int window = (int) Math.min(max + 2L, readable - from);
            int lf = window <= 0 ? -1 : buf.indexOf(base + from, base + from + window, (byte) '\n');
            if (lf < 0) {
                if (readable - from > max + 1) {
                    throw tooLong(first, maxLine, maxHeaders);
                }
                return -1;
            }
            lf -= base;
            if (lf == from || buf.getByte(base + lf - 1) != '\r') {
                throw new InvalidLineSeparatorException("line " + (lines + 1) + " does not end in CRLF");
            }
            int length = lf - 1 - from;
            scanned = lf + 1;
            if (length == 0 && !first) {
                return scanned;
            }
            if (length > max) {
                throw tooLong(first, maxLine, maxHeaders);
            }
            if (!first) {
                headerBytes += length;
            }
            if (lines == ends.length) {
                ends = Arrays.copyOf(ends, lines * 2);
            }
            ends[lines++] = lf - 1;
        }
    }

    /**
     * The bytes of every line found (from the reader index to the last line's CR) in a new array, and the reader
     * index moved past the head ({@code length} from {@link #scan}).
     */
    byte[] copy(ByteBuf buf, int length) {
        int content = lines == 0 ? 0 : ends[lines - 1];
        byte[] head = new byte[content];
        buf.getBytes(buf.readerIndex(), head);
        buf.skipBytes(length);
        return head;
    }

    private static TooLongFrameException tooLong(boolean first, int maxLine, int maxHeaders) {
        return first ? new TooLongHttpLineException("An HTTP line is larger than " + maxLine + " bytes.")
                : new TooLongHttpHeaderException("HTTP header is larger than " + maxHeaders + " bytes.");
    }
}
