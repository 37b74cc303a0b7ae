package dev.switchboard.netty.internal.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;

/**
 * The HTTP/1.1 codec of a connection to a real server: a request encoder and the byte-level {@link ResponseDecoder},
 * paired like {@code HttpClientCodec} (a response to {@code HEAD} has no body whatever its head announces). Requests
 * that write their own head ({@link SelfWritingRequest}) take {@link Http1Encoder}'s fast path: the proxy copies a
 * client's header lines straight into the outgoing buffer instead of building a header table and encoding it;
 * other requests go through Netty's encoder. The two are separate handlers (not a
 * {@code CombinedChannelDuplexHandler}, whose delegating context costs a hop on every event). Not thread-safe: one
 * pair per channel.
 *
 * <pre>{@code
 * UpstreamCodec.addTo(pipeline, decoderConfig);
 * }</pre>
 */
public final class UpstreamCodec {

    /**
     * Trailers as Netty's decoders validate them, in a table sized for none or a few: every message with a body ends
     * in a {@code LastHttpContent} that has one, and trailers are rare (Netty's default sizes it for 16).
     */
    public static final HttpHeadersFactory SMALL_TRAILERS = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return DefaultHttpHeadersFactory.trailersFactory().newEmptyHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return DefaultHttpHeadersFactory.trailersFactory().newEmptyHeaders();
        }
    };

    private UpstreamCodec() {
    }

    /** Adds the response decoder ("http-decoder") and the request encoder ("http-encoder") to {@code pipeline}. */
    public static void addTo(ChannelPipeline pipeline, HttpDecoderConfig responses) {
        ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2); // the methods of requests awaiting their response
        pipeline.addLast("http-decoder", new ResponseDecoder(responses, methods))
                .addLast("http-encoder", new RequestEncoder(methods));
    }

    /**
     * A request head that writes its request line and header lines itself ({@link Http1Encoder}'s fast path). Its
     * {@link #headers()} are empty, or only {@code Transfer-Encoding: chunked} when its body is chunked; the lines
     * actually sent are whatever {@link #writeHead} writes.
     */
    public abstract static class SelfWritingRequest extends DefaultHttpRequest implements SelfWritingHead {

        private final boolean chunked;
        private final boolean complete;

        /** @param complete whether the request has no body: nothing is written after it, not even an empty end */
        protected SelfWritingRequest(HttpMethod method, String uri, boolean chunked, boolean complete) {
            super(HttpVersion.HTTP_1_1, method, uri, chunked ? HeaderLines.CHUNKED_ONLY : EmptyHttpHeaders.INSTANCE);
            this.chunked = chunked;
            this.complete = complete;
        }

        @Override
        public final boolean chunked() {
            return chunked;
        }

        @Override
        public final boolean complete() {
            return complete;
        }
    }

    /** Self-writing requests on the fast path, the others through Netty's encoder; notes each request's method. */
    static final class RequestEncoder extends Http1Encoder {
        private final ArrayDeque<HttpMethod> methods;

        RequestEncoder(ArrayDeque<HttpMethod> methods) {
            super(new NettyRequestEncoder());
            this.methods = methods;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof HttpRequest request) {
                methods.add(request.method());
            }
            super.write(ctx, msg, promise);
        }
    }

    /** Netty's request encoder, with the header lines written in one copy. */
    private static final class NettyRequestEncoder extends HttpRequestEncoder {
        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            HeaderLines.start().lines(headers).writeTo(buf);
        }
    }
}
