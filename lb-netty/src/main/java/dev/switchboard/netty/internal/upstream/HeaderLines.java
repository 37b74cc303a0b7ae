package dev.switchboard.netty.internal.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Builds an HTTP head's lines in a per-thread byte array and copies them into the outgoing buffer in one bulk
 * write: a head is some thirty small pieces (names, ": ", values, CRLF), and each small copy into a direct buffer
 * costs far more than its bytes. Names and values go out as ISO-8859-1 bytes, what Netty's decoders read them as,
 * so obs-text bytes leave as they came in. Not thread-safe: {@link #start()} hands out the calling thread's
 * instance, to be used and finished ({@link #writeTo}) before anything else on that thread starts another head.
 *
 * <pre>{@code
 * HeaderLines.start().line("Host", "mail.example.com").lines(headers).writeTo(buf);
 * }</pre>
 */
public final class HeaderLines {

    /**
     * The header table of a head that writes its own lines and whose body is chunked: it only tells Netty's
     * encoder the body's framing, and {@link #lines} writes nothing for it.
     */
    public static final HttpHeaders CHUNKED_ONLY = new ReadOnlyHttpHeaders(false, HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderValues.CHUNKED);

    private static final FastThreadLocal<HeaderLines> THREAD = new FastThreadLocal<>() {
        @Override
        protected HeaderLines initialValue() {
            return new HeaderLines();
        }
    };
    private static final int MAX_KEPT = 64 * 1024;
    private static final LineFilter ALL = (name, field) -> true;

    private byte[] bytes = new byte[2048];
    private int size;

    private HeaderLines() {
    }

    /** The calling thread's builder, empty. */
    public static HeaderLines start() {
        HeaderLines lines = THREAD.get();
        lines.size = 0;
        return lines;
    }

    /**
     * Checks that {@code value} can go into a header line as it is: no character over U+00FF (it would not be one
     * byte) and no control character but HTAB (CR or LF would end the line: header injection). Values from Netty's
     * decoders always pass; values that configuration or rules produce are checked with this before they are
     * written.
     *
     * @throws IllegalArgumentException naming the header and the offending character
     */
    public static void checkValue(CharSequence name, CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF || c < 0x20 && c != '\t' || c == 0x7F) {
                throw new IllegalArgumentException(String.format("header %s: character U+%04X at %d cannot be sent",
                        name, (int) c, i));
            }
        }
    }

    /** {@code name: value} and CRLF. */
    public HeaderLines line(CharSequence name, CharSequence value) {
        latin1(name);
        room(2);
        bytes[size++] = ':';
        bytes[size++] = ' ';
        latin1(value);
        return crlf();
    }

    /** Every header of {@code headers}, one line each, in their order ({@link #CHUNKED_ONLY}: none). */
    public HeaderLines lines(HttpHeaders headers) {
        return headers == CHUNKED_ONLY ? this : lines(headers, ALL);
    }

    /** The headers of {@code headers} that {@code keep} accepts, one line each, in their order. */
    public HeaderLines lines(HttpHeaders headers, LineFilter keep) {
        if (headers instanceof LineHeaders table) { // by index: no iterator, no entry per line, fields noted
            for (int i = 0; i < table.size(); i++) {
                CharSequence name = table.nameAt(i);
                if (keep == ALL || keep.keep(name, table.fieldAt(i))) {
                    line(name, table.valueAt(i));
                }
            }
            return this;
        }
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            if (keep == ALL || keep.keep(name, HeaderFields.of(name))) {
                line(name, header.getValue());
            }
        }
        return this;
    }

    public HeaderLines crlf() {
        room(2);
        bytes[size++] = '\r';
        bytes[size++] = '\n';
        return this;
    }

    public HeaderLines bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    public HeaderLines ascii(char c) {
        room(1);
        bytes[size++] = (byte) c;
        return this;
    }

    /**
     * The characters of {@code s} as single bytes, each its low eight bits: ISO-8859-1 for text that Netty's
     * decoders produced or that {@link #checkValue} accepted (a character over U+00FF would lose its high bits).
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) is exactly "the low eight bits", in bulk
    public HeaderLines latin1(CharSequence s) {
        int n = s.length();
        room(n);
        if (s instanceof AsciiString a) {
            System.arraycopy(a.array(), a.arrayOffset(), bytes, size, n);
        } else if (s instanceof String text) {
            text.getBytes(0, n, bytes, size);
        } else {
            for (int i = 0; i < n; i++) {
                bytes[size + i] = (byte) s.charAt(i);
            }
        }
        size += n;
        return this;
    }

    /** A request target: as is when ASCII (the usual, percent-encoded form), else its UTF-8 bytes. */
    public HeaderLines uri(String uri) {
        int n = uri.length();
        room(n);
        for (int i = 0; i < n; i++) {
            char c = uri.charAt(i);
            if (c >= 0x80) {
                return bytes(uri.getBytes(StandardCharsets.UTF_8));
            }
            bytes[size + i] = (byte) c;
        }
        size += n;
        return this;
    }

    /** Copies what was built into {@code out}. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes, 0, size);
        shrink();
    }

    /** What was built, in a buffer of exactly its size ({@link SmallBuffers}), owned by the caller. */
    public ByteBuf toBuffer(ByteBufAllocator alloc) {
        ByteBuf out = SmallBuffers.copy(alloc, bytes, 0, size);
        shrink();
        return out;
    }

    /**
     * What was built, in a buffer of at least {@code capacity} bytes ({@link SmallBuffers}; exactly its size when
     * larger) that does not grow, owned by the caller: room to write more after it.
     */
    public ByteBuf toBuffer(ByteBufAllocator alloc, int capacity) {
        ByteBuf out = SmallBuffers.take(alloc, Math.max(size, capacity)).writeBytes(bytes, 0, size);
        shrink();
        return out;
    }

    private void shrink() {
        if (bytes.length > MAX_KEPT) { // one huge head does not pin its array to the thread for good
            bytes = new byte[2048];
        }
    }

    private void room(int n) {
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
        }
    }

    /** Which header lines {@link #lines(HttpHeaders, LineFilter)} writes. */
    @FunctionalInterface
    public interface LineFilter {
        /** Whether the line named {@code name}, of {@link HeaderFields} field {@code field}, is written. */
        boolean keep(CharSequence name, int field);
    }
}
