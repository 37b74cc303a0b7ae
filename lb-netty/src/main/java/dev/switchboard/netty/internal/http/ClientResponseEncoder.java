package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.internal.upstream.HeaderLines;
import dev.switchboard.netty.internal.upstream.Http1Encoder;
import dev.switchboard.netty.internal.upstream.SelfWritingHead;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * The response encoder towards clients: a {@link ClientHead} (a real server's response passed on unedited) takes
 * {@link Http1Encoder}'s fast path, every other response Netty's encoder. Told by the connection when the response
 * answers a {@code HEAD} (whose head may announce a length or chunked framing that no body follows). Event loop
 * only.
 */
final class ClientResponseEncoder extends Http1Encoder {

    private final NettyEncoder netty;

    ClientResponseEncoder() {
        this(new NettyEncoder());
    }

    private ClientResponseEncoder(NettyEncoder netty) {
        super(netty);
        this.netty = netty;
    }

    /** Whether the next response heads answer a HEAD request. */
    void answeringHead(boolean head) {
        netty.headRequest = head;
    }

    @Override
    protected boolean bodiless(SelfWritingHead head) { // a ClientHead: never 1xx, 204 or 205
        return netty.headRequest || ((HttpResponse) head).status().code() == HttpResponseStatus.NOT_MODIFIED.code();
    }

    /** Netty's response encoder, with the header lines written in one copy and no body after a HEAD. */
    private static final class NettyEncoder extends HttpResponseEncoder {
        private boolean headRequest;

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            HeaderLines.start().lines(headers).writeTo(buf);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            return super.isContentAlwaysEmpty(msg)
                    || headRequest && msg.status().codeClass() != HttpStatusClass.INFORMATIONAL;
        }
    }
}
