package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.internal.upstream.HeaderLines;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * The response encoder towards clients, told by the connection when the response answers a {@code HEAD} (whose
 * head may announce a length or chunked framing that no body follows). Event loop only.
 */
final class ClientResponseEncoder extends HttpResponseEncoder {

    private boolean headRequest;

    /** Whether the next response heads answer a HEAD request. */
    void answeringHead(boolean head) {
        this.headRequest = head;
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
