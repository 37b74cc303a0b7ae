package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.internal.upstream.HeaderLines;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.List;

/**
 * The response encoder towards clients, told by the connection when the response answers a {@code HEAD} (whose
 * head may announce a length or chunked framing that no body follows). Event loop only.
 */
final class ClientResponseEncoder extends HttpResponseEncoder {

    private static final short CRLF = ('\r' << 8) | '\n';

    private boolean headRequest;
    /** A guess at the next head's size, from the last ones. */
    private int headGuess = 256;

    /**
     * A {@link ClientHead} and its whole body (the response's only piece, as the real server's response came in
     * one read): encoded into one buffer, one write and one flush, instead of a head buffer and the body's own.
     * Holds the body: released when written or dropped.
     */
    static final class WholeResponse extends DefaultByteBufHolder {
        private final ClientHead head;

        WholeResponse(ClientHead head, ByteBuf body) {
            super(body);
            this.head = head;
        }
    }

    /** Whether the next response heads answer a HEAD request. */
    void answeringHead(boolean head) {
        this.headRequest = head;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) throws Exception {
        return msg instanceof WholeResponse || super.acceptOutboundMessage(msg);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
        if (!(msg instanceof WholeResponse whole)) {
            super.encode(ctx, msg, out);
            return;
        }
        try { // the encoder's state stays between messages: the head and its body are one message here
            ByteBuf body = whole.content();
            int bodySize = isContentAlwaysEmpty(whole.head) ? 0 : body.readableBytes();
            ByteBuf buf = ctx.alloc().buffer(headGuess + bodySize);
            whole.head.writeHead(buf);
            buf.writeShort(CRLF);
            headGuess = Math.max(64, (headGuess * 3 + buf.readableBytes() + 32) / 4);
            buf.writeBytes(body, body.readerIndex(), bodySize);
            out.add(buf);
        } finally {
            whole.release();
        }
    }

    @Override
    protected void encodeInitialLine(ByteBuf buf, HttpResponse response) throws Exception {
        if (response instanceof ClientHead head) {
            head.writeHead(buf);
        } else {
            super.encodeInitialLine(buf, response);
        }
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        HeaderLines.start().lines(headers).writeTo(buf); // nothing for CHUNKED_ONLY: a ClientHead wrote its own lines
    }

    @Override
    protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
        if (!(msg instanceof ClientHead)) { // which never carries a status whose head Netty would adjust
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return super.isContentAlwaysEmpty(msg)
                || headRequest && msg.status().codeClass() != HttpStatusClass.INFORMATIONAL;
    }
}
