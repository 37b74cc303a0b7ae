package dev.switchboard.examples.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes HTTP header lines into a buffer: names and values as ISO-8859-1 bytes (what Netty's decoders read them
 * as, so obs-text bytes go out as they came in), a string copied through a per-thread scratch array in one bulk
 * write rather than one bounds-checked byte at a time. Thread-safe (the scratch array is per thread).
 *
 * <pre>{@code
 * HeaderLines.line(buf, "Host", "mail.example.com");   // Host: mail.example.com\r\n
 * }</pre>
 */
public final class HeaderLines {

    /**
     * The header table of a head that writes its own lines and whose body is chunked: it only tells Netty's
     * encoder the body's framing, and encoders write nothing for it.
     */
    public static final HttpHeaders CHUNKED_ONLY = new ReadOnlyHttpHeaders(false, HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderValues.CHUNKED);

    private static final int SCRATCH_BYTES = 1024;
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[SCRATCH_BYTES];
        }
    };
    private static final short COLON_SPACE = (':' << 8) | ' ';
    private static final short CRLF = ('\r' << 8) | '\n';

    private HeaderLines() {
    }

    /** {@code name: value} and CRLF. */
    public static void line(ByteBuf out, CharSequence name, CharSequence value) {
        latin1(out, name);
        out.writeShort(COLON_SPACE);
        latin1(out, value);
        out.writeShort(CRLF);
    }

    /** Every header of {@code headers}, one line each, in their order ({@link #CHUNKED_ONLY}: none). */
    public static void lines(ByteBuf out, HttpHeaders headers) {
        if (headers == CHUNKED_ONLY) {
            return;
        }
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            line(out, header.getKey(), header.getValue());
        }
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

    /**
     * The characters of {@code s} as single bytes, each its low eight bits: ISO-8859-1 for text that Netty's
     * decoders produced or that {@link #checkValue} accepted (a character over U+00FF would lose its high bits).
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) is exactly "the low eight bits", in bulk
    public static void latin1(ByteBuf out, CharSequence s) {
        if (s instanceof AsciiString a) {
            out.writeBytes(a.array(), a.arrayOffset(), a.length());
        } else if (s instanceof String text && text.length() <= SCRATCH_BYTES) {
            byte[] scratch = SCRATCH.get();
            text.getBytes(0, text.length(), scratch, 0);
            out.writeBytes(scratch, 0, text.length());
        } else {
            out.writeCharSequence(s, CharsetUtil.ISO_8859_1);
        }
    }
}
