package dev.switchboard.netty.internal.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.InvalidChunkTerminationException;
import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * A byte-level HTTP/1.1 decoder, for requests and responses alike, in place of Netty's {@code HttpObjectDecoder}: it
 * hands on the same message objects (an {@code HttpMessage} whose headers are a {@link LineHeaders}, then
 * {@code HttpContent}s ending in a {@code LastHttpContent}; a failure as a message or a last piece whose
 * {@code decoderResult()} failed, after which every byte is dropped), but finds a head's lines in the cumulation
 * ({@link LineScanner}), copies the head out once, and splits it into names and values that point into that copy
 * ({@link FieldLines}). Body pieces are retained slices of the cumulation, at most {@code maxChunkSize} each.
 *
 * <p>Framing (RFC 9112 section 6): a head the subclass calls bodiless ({@link #bodyless}) has no body, and a
 * {@code chunked} among its {@code Transfer-Encoding} codings is dropped; else {@code Transfer-Encoding} (HTTP/1.1
 * only) must end in {@code chunked}, once, without {@code Content-Length} (a response may name other codings only:
 * its body then ends with the connection); else {@code Content-Length} (one line, decimal) gives the length; else
 * a request has no body and a response's ends with the connection. Strict as Netty's decoder is with
 * {@code setStrictLineParsing(true)} and {@code setUseRfc9112TransferEncoding(true)}, whatever the configuration
 * says of those; its line, head and chunk limits apply. A decode call ends after a message's last piece, so that a
 * subclass sees each message end before anything after it is decoded. Not thread-safe: one per channel.
 */
public abstract class Http1Decoder extends ByteToMessageDecoder {

    private enum State { SKIP_LINE_BREAKS, HEAD, FIXED, UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, BAD,
        UPGRADED }

    private final int maxLine;
    private final int maxHeaders;
    private final int maxChunk;
    private final HttpHeadersFactory trailersFactory;
    private final LineScanner scanner = new LineScanner();
    private final FieldLines fields = new FieldLines();
    private State state = State.SKIP_LINE_BREAKS;
    private long remaining;
    private int skipped;
    private boolean switching;

    protected Http1Decoder(HttpDecoderConfig config) {
        this.maxLine = config.getMaxInitialLineLength();
        this.maxHeaders = config.getMaxHeaderSize();
        this.maxChunk = config.getMaxChunkSize();
        this.trailersFactory = config.getTrailersFactory();
    }

    /**
     * The message whose start line is {@code line[0..end)}, with {@code headers} (filled after).
     *
     * @throws IllegalArgumentException when the line is not valid
     */
    protected abstract HttpMessage startLine(byte[] line, int end, LineHeaders headers);

    /** The message to hand on with a failure: {@code partial} (null when the start line was not read) or a stand-in. */
    protected abstract HttpMessage failed(HttpMessage partial, Exception cause);

    /** Whether the messages decoded are requests (no body without framing headers). */
    protected abstract boolean isRequest();

    /** Whether {@code head} has no body whatever its headers say (called once per head). */
    protected boolean bodyless(HttpMessage head) {
        return false;
    }

    /** The length of a body that {@code head} implies without a {@code Content-Length}, or -1. */
    protected long impliedLength(HttpMessage head) {
        return -1;
    }

    /** Whether what follows {@code head}'s end is another protocol, handed on as it comes ({@code ByteBuf}s). */
    protected boolean switchesProtocol(HttpMessage head) {
        return false;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            for (;;) {
                boolean more = switch (state) {
                    case SKIP_LINE_BREAKS -> skipLineBreaks(in);
                    case HEAD -> head(in, out);
                    case FIXED -> fixed(in, out);
                    case UNTIL_CLOSE -> untilClose(in, out);
                    case CHUNK_SIZE -> chunkSize(in);
                    case CHUNK_DATA -> chunkData(in, out);
                    case CHUNK_END -> chunkEnd(in);
                    case TRAILERS -> trailers(in, out);
                    case UPGRADED -> upgraded(in, out);
                    case BAD -> bad(in);
                };
                if (!more) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            fail(in, out, e);
        }
    }

    private boolean skipLineBreaks(ByteBuf in) {
        int n = in.readableBytes();
        if (n == 0) {
            return false;
        }
        int r = in.readerIndex();
        byte first = in.getByte(r);
        if (first == '\r' || first == '\n') { // line breaks before a start line: at most maxLine of them in all
            int room = maxLine - skipped;
            int found = in.forEachByte(r, Math.min(n, room + 1), ByteProcessor.FIND_NON_CRLF);
            if (found < 0) {
                if (n > room) {
                    throw new TooLongHttpLineException("An HTTP line is larger than " + maxLine + " bytes.");
                }
                in.skipBytes(n);
                skipped += n;
                return false;
            }
            in.readerIndex(found);
            first = in.getByte(found);
        }
        skipped = 0;
        if (Character.isISOControl(first & 0xFF)) {
            throw new InvalidLineSeparatorException(String.format("0x%02x before the start line", first & 0xFF));
        }
        scanner.reset();
        state = State.HEAD;
        return true;
    }

    private boolean head(ByteBuf in, List<Object> out) {
        int length = scanner.scan(in, maxLine, maxHeaders);
        if (length < 0) {
            return false;
        }
        byte[] head = scanner.copy(in, length);
        HttpMessage m = null;
        try {
            LineHeaders headers = LineHeaders.forLines(scanner.lines() + 1);
            m = startLine(head, scanner.end(0), headers);
            fields.split(head, scanner, 1, headers, false);
            return frame(m, headers, out);
        } catch (RuntimeException e) {
            throw new HeadFailure(m, e);
        }
    }

    /** Hands on {@code m} and sets the state for its body; whether to go on decoding in this call. */
    private boolean frame(HttpMessage m, LineHeaders headers, List<Object> out) {
        long length = fields.contentLength();
        switching = switchesProtocol(m);
        if (bodyless(m)) {
            if (fields.chunked()) {
                dropChunked(headers);
            }
            return whole(m, out);
        }
        if (fields.transferEncoding()) {
            if (!m.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                throw new TransferEncodingNotAllowedException(
                        "The Transfer-Encoding header is only allowed in HTTP/1.1 or newer");
            }
            if (length >= 0) {
                throw new ContentLengthNotAllowedException(
                        "Content-Length is not allowed in a message with a Transfer-Encoding header");
            }
            if (fields.chunked()) {
                if (fields.chunkedTwice() || !fields.chunkedLast()) {
                    throw new IllegalArgumentException("chunked must be the last transfer coding, once");
                }
                out.add(m);
                state = State.CHUNK_SIZE;
                return true;
            }
            if (isRequest()) {
                throw new IllegalArgumentException("The final transfer coding must be chunked for HTTP requests");
            }
        } else if (length < 0) {
            length = impliedLength(m);
        }
        if (length == 0 || length < 0 && isRequest()) {
            return whole(m, out);
        }
        out.add(m);
        if (length > 0) {
            remaining = length;
            state = State.FIXED;
        } else {
            state = State.UNTIL_CLOSE;
        }
        return true;
    }

    private boolean whole(HttpMessage m, List<Object> out) {
        out.add(m);
        out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        return ended();
    }

    /** A message ended: the next head, or the other protocol. Always false: the decode call ends here. */
    private boolean ended() {
        state = switching ? State.UPGRADED : State.SKIP_LINE_BREAKS;
        switching = false;
        return false;
    }

    private static void dropChunked(LineHeaders headers) {
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        for (String coding : codings) {
            if (!coding.equalsIgnoreCase("chunked")) {
                headers.add(HttpHeaderNames.TRANSFER_ENCODING, coding);
            }
        }
    }

    private boolean fixed(ByteBuf in, List<Object> out) {
        int n = in.readableBytes();
        if (n == 0) {
            return false;
        }
        int take = (int) Math.min(Math.min(n, maxChunk), remaining);
        ByteBuf piece = in.readRetainedSlice(take);
        remaining -= take;
        if (remaining == 0) {
            out.add(new DefaultLastHttpContent(piece, EmptyHttpHeaders.INSTANCE));
            return ended();
        }
        out.add(new DefaultHttpContent(piece));
        return true;
    }

    private boolean untilClose(ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), maxChunk);
        if (n == 0) {
            return false;
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        return true;
    }

    private boolean chunkSize(ByteBuf in) {
        int size = ChunkLine.read(in, maxLine);
        if (size < 0) {
            return false;
        }
        if (size == 0) {
            scanner.reset();
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    private boolean chunkData(ByteBuf in, List<Object> out) {
        int take = (int) Math.min(Math.min(in.readableBytes(), maxChunk), remaining);
        if (take == 0) {
            return false;
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(take)));
        remaining -= take;
        if (remaining == 0) {
            state = State.CHUNK_END;
        }
        return true;
    }

    private boolean chunkEnd(ByteBuf in) {
        if (in.readableBytes() < 2) {
            return false;
        }
        int r = in.readerIndex();
        if (in.getByte(r) != '\r' || in.getByte(r + 1) != '\n') {
            throw new InvalidChunkTerminationException("chunk data not followed by CRLF");
        }
        in.skipBytes(2);
        state = State.CHUNK_SIZE;
        return true;
    }

    private boolean trailers(ByteBuf in, List<Object> out) {
        int length = scanner.scan(in, -1, maxHeaders);
        if (length < 0) {
            return false;
        }
        if (scanner.lines() == 0) {
            in.skipBytes(length);
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            return ended();
        }
        byte[] lines = scanner.copy(in, length);
        HttpHeaders trailers = trailersFactory.newHeaders();
        fields.split(lines, scanner, 0, trailers, true);
        out.add(new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers));
        return ended();
    }

    private boolean upgraded(ByteBuf in, List<Object> out) {
        int n = in.readableBytes();
        if (n > 0) {
            out.add(in.readRetainedSlice(n));
        }
        return false;
    }

    private boolean bad(ByteBuf in) {
        in.skipBytes(in.readableBytes());
        return false;
    }

    private void fail(ByteBuf in, List<Object> out, RuntimeException e) {
        State was = state;
        state = State.BAD;
        switching = false;
        if (was == State.SKIP_LINE_BREAKS || was == State.HEAD) {
            HttpMessage partial = e instanceof HeadFailure h ? h.partial
                    : was == State.HEAD && scanner.lines() > 0 ? startLineOf(in) : null;
            RuntimeException cause = e instanceof HeadFailure h ? h.cause : e;
            in.skipBytes(in.readableBytes());
            if (partial != null) {
                partial.headers().remove(HttpHeaderNames.CONTENT_LENGTH).remove(HttpHeaderNames.TRANSFER_ENCODING);
            }
            HttpMessage m = failed(partial, cause);
            m.setDecoderResult(DecoderResult.failure(cause));
            out.add(m);
        } else {
            in.skipBytes(in.readableBytes());
            LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, EmptyHttpHeaders.INSTANCE);
            last.setDecoderResult(DecoderResult.failure(e));
            out.add(last);
        }
    }

    /** The start line still in {@code in} (a head that failed before it was taken), or null when not valid. */
    private HttpMessage startLineOf(ByteBuf in) {
        byte[] line = new byte[scanner.end(0)];
        in.getBytes(in.readerIndex(), line);
        try {
            return startLine(line, line.length, LineHeaders.forLines(2));
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (state == State.UNTIL_CLOSE && !in.isReadable()) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            ended();
        } else if (state == State.HEAD && scanner.lines() > 0) {
            fail(in, out, new PrematureChannelClosureException("Connection closed before received headers"));
        }
    }

    /** A failure after the start line was read: the message so far goes on with it. */
    private static final class HeadFailure extends RuntimeException {
        private final transient HttpMessage partial;
        private final RuntimeException cause;

        HeadFailure(HttpMessage partial, RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
            this.partial = partial;
            this.cause = cause;
        }
    }
}
