package dev.switchboard.netty.internal.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;

/**
 * The HTTP/1.1 encoder of one connection. A head that writes itself ({@link SelfWritingHead}, the proxy's usual
 * case) and its body go out without Netty's encoder: the head in one buffer of its exact size ({@link SmallBuffers}),
 * body pieces as the buffers they came in (framed by a length, or by the close), or chunked, with the chunk lines
 * from the same regions and the trailers after the last chunk; the pieces of a body that is never sent (a response to
 * {@code HEAD}, a 304) are dropped. A length-framed head written with a void promise waits in a buffer with room
 * after it (2 KB in all, {@link HeaderLines#toBuffer(io.netty.buffer.ByteBufAllocator, int)}) for the next write: a
 * body piece that fits is copied in after it and both leave as one buffer (one outbound entry, one {@code write()}
 * for a small response read whole, nothing for a TLS handler to gather); anything else, a flush or a close sends the
 * head alone first. Any other head and its body pass through {@code netty}, Netty's encoder, called with this
 * handler's context (error answers, interim and 101 answers, heads edited by rules): their encoding is Netty's,
 * unchanged. Not thread-safe: one per channel, on its event loop.
 *
 * <pre>{@code
 * pipeline.addLast("encoder", new ClientResponseEncoder());   // a subclass with its Netty encoder
 * }</pre>
 */
public abstract class Http1Encoder extends ChannelOutboundHandlerAdapter {

    private static final int INIT = 0;
    private static final int PLAIN = 1;
    private static final int CHUNKED = 2;
    private static final int DROPPED = 3;
    private static final int NETTY = 4;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n'};
    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeByte('\r').writeByte('\n')).asReadOnly();
    private static final ByteBuf CRLF_LAST_CHUNK_CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(7).writeBytes(new byte[] {'\r', '\n', '0', '\r', '\n', '\r', '\n'})).asReadOnly();

    private final HttpObjectEncoder<?> netty;
    private final byte[] chunkLine = new byte[18];
    private int state = INIT;
    /** A length-framed head written with a void promise, kept (with room after it) for its first body piece. */
    private ByteBuf held;

    /** @param netty the encoder of the heads that do not write themselves, and of their bodies */
    protected Http1Encoder(HttpObjectEncoder<?> netty) {
        this.netty = netty;
    }

    /** Whether the body of {@code head} is never sent (its pieces are dropped); false unless a subclass knows. */
    protected boolean bodiless(SelfWritingHead head) {
        return false;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (held != null) {
            if (joined(ctx, msg, promise)) {
                return;
            }
            writeHeld(ctx);
        }
        if (state == INIT && msg instanceof SelfWritingHead head) {
            writeHead(ctx, head, promise);
        } else if (state == INIT || state == NETTY) {
            boolean starts = msg instanceof HttpMessage;
            boolean ends = msg instanceof LastHttpContent;
            netty.write(ctx, msg, promise); // throws where Netty's encoder would
            if (ends) {
                state = INIT;
            } else if (starts) {
                state = NETTY;
            }
        } else if (msg instanceof HttpMessage || msg instanceof SelfWritingHead) {
            ReferenceCountUtil.release(msg);
            throw new IllegalStateException("unexpected message type: " + msg.getClass().getSimpleName()
                    + " before the end of the body");
        } else if (msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            int was = state;
            if (last) {
                state = INIT;
            }
            body(ctx, was, content.content(), last ? ((LastHttpContent) content).trailingHeaders() : null, promise);
        } else if (msg instanceof ByteBuf data) {
            body(ctx, state, data, null, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private void writeHead(ChannelHandlerContext ctx, SelfWritingHead head, ChannelPromise promise) {
        HeaderLines lines = HeaderLines.start();
        head.writeHead(lines);
        state = head.complete() ? INIT : bodiless(head) ? DROPPED : head.chunked() ? CHUNKED : PLAIN;
        if (state == PLAIN && promise.isVoid()) { // a small body read with it leaves in the same buffer
            held = lines.crlf().toBuffer(ctx.alloc(), SmallBuffers.MAX);
            return;
        }
        ctx.write(lines.crlf().toBuffer(ctx.alloc()), promise);
    }

    /**
     * Whether {@code msg}, the piece after a held head, was copied into the head's buffer, which then went out in
     * its place; false (nothing done) when it is not a body piece that fits.
     */
    private boolean joined(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ByteBuf data = msg instanceof HttpMessage ? null
                : msg instanceof HttpContent content ? content.content() : msg instanceof ByteBuf b ? b : null;
        if (data == null || data.readableBytes() > held.writableBytes()) { // trailers: not sent with a length
            return false;
        }
        ByteBuf buf = held.writeBytes(data);
        held = null;
        if (msg instanceof LastHttpContent) {
            state = INIT;
        }
        ReferenceCountUtil.release(msg);
        ctx.write(buf, promise);
        return true;
    }

    private void writeHeld(ChannelHandlerContext ctx) {
        ByteBuf buf = held;
        held = null;
        ctx.write(buf, ctx.voidPromise());
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (held != null) {
            writeHeld(ctx);
        }
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (held != null) {
            writeHeld(ctx);
        }
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            writeHeld(ctx);
        }
    }

    /** One body piece, {@code trailers} not null for the last one. */
    private void body(ChannelHandlerContext ctx, int framing, ByteBuf data, HttpHeaders trailers,
            ChannelPromise promise) {
        if (framing == CHUNKED && (data.isReadable() || trailers != null)) {
            chunk(ctx, data, trailers, promise);
        } else if (framing == PLAIN && data.isReadable() || !promise.isVoid()) {
            if (framing == PLAIN) {
                ctx.write(data, promise);
            } else {
                data.release();
                ctx.write(Unpooled.EMPTY_BUFFER, promise);
            }
        } else {
            data.release(); // nothing to send, nobody to tell
        }
    }

    private void chunk(ChannelHandlerContext ctx, ByteBuf data, HttpHeaders trailers, ChannelPromise promise) {
        int size = data.readableBytes();
        if (size == 0) {
            data.release();
            write(ctx, promise, lastChunk(ctx, false, trailers));
            return;
        }
        ByteBuf line = chunkLine(ctx, size);
        ByteBuf end = trailers == null ? CRLF.duplicate() : lastChunk(ctx, true, trailers);
        write(ctx, promise, line, data, end);
    }

    private ByteBuf chunkLine(ChannelHandlerContext ctx, int size) {
        int digits = (Integer.SIZE - Integer.numberOfLeadingZeros(size) + 3) >>> 2;
        for (int i = 0; i < digits; i++) {
            chunkLine[i] = HEX[(size >>> ((digits - 1 - i) << 2)) & 0xF];
        }
        chunkLine[digits] = '\r';
        chunkLine[digits + 1] = '\n';
        return SmallBuffers.copy(ctx.alloc(), chunkLine, 0, digits + 2);
    }

    /** The last chunk and the trailers, after the CRLF that ends a chunk's data when {@code afterData}. */
    private static ByteBuf lastChunk(ChannelHandlerContext ctx, boolean afterData, HttpHeaders trailers) {
        if (trailers.isEmpty()) {
            return afterData ? CRLF_LAST_CHUNK_CRLF.duplicate() : CRLF_LAST_CHUNK_CRLF.slice(2, 5);
        }
        HeaderLines lines = HeaderLines.start();
        if (afterData) {
            lines.crlf();
        }
        return lines.bytes(LAST_CHUNK).lines(trailers).crlf().toBuffer(ctx.alloc());
    }

    private static void write(ChannelHandlerContext ctx, ChannelPromise promise, ByteBuf... parts) {
        if (promise.isVoid()) {
            for (ByteBuf part : parts) {
                ctx.write(part, promise);
            }
        } else if (parts.length == 1) {
            ctx.write(parts[0], promise);
        } else {
            PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
            for (ByteBuf part : parts) {
                combiner.add(ctx.write(part));
            }
            combiner.finish(promise);
        }
    }
}
