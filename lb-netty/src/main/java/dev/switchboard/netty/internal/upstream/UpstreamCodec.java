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
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.ArrayDeque;

/**
 * The HTTP/1.1 codec of a connection to a real server: a request encoder and Netty's response decoder, paired like
 * {@code HttpClientCodec} (a response to {@code HEAD} has no body whatever its head announces). Requests that
 * write their own head ({@link SelfWritingRequest}) take {@link Http1Encoder}'s fast path: the proxy copies a
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

    private static final byte[] HTTP_1_ = {'H', 'T', 'T', 'P', '/'};
    /** "100" to "599", so that a status line does not make a new string per response. */
    private static final String[] STATUS_CODES = new String[600];

    static {
        for (int i = 100; i < STATUS_CODES.length; i++) {
            STATUS_CODES[i] = Integer.toString(i);
        }
    }

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

    static final class ResponseDecoder extends HttpResponseDecoder {
        private final ArrayDeque<HttpMethod> methods;

        ResponseDecoder(HttpDecoderConfig config, ArrayDeque<HttpMethod> methods) {
            super(config);
            this.methods = methods;
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            if (((HttpResponse) msg).status().code() == 101) {
                return true; // what follows is the new protocol (Netty reads an old WebSocket draft's 101 on)
            }
            if (((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // an interim answer does not end the request
            }
            HttpMethod method = methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }

        /**
         * Netty ends a response header name at whitespace as well as at the colon, and takes a line without any
         * colon after that whitespace ({@code Bad Header Line}) for a header {@code Bad} with an empty value. Here
         * the name must end at the colon: a line that does not is garbage, and the response a decoding failure
         * (the exchange answers 502 and counts a PROTOCOL failure). Whitespace before the colon is refused too, as
         * HAProxy does by default (RFC 9112 section 5.1 forbids it; a proxy that accepts it must remove it).
         */
        @Override
        protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
            if (sb[start + length] != ':') { // within the line: Netty found a colon or whitespace there
                throw new IllegalArgumentException("no colon right after the header name");
            }
            AsciiString known = KnownHeaderNames.find(sb, start, length);
            return known != null ? known : super.splitHeaderName(sb, start, length);
        }

        @Override
        protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
            if (length == 8 && sb[start + 5] == '1' && sb[start + 6] == '.' && equal(sb, start, HTTP_1_)) {
                if (sb[start + 7] == '1') {
                    return "HTTP/1.1";
                }
                if (sb[start + 7] == '0') {
                    return "HTTP/1.0";
                }
            }
            return super.splitFirstWordInitialLine(sb, start, length);
        }

        @Override
        protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
            if (length == 3) {
                int code = (sb[start] - '0') * 100 + (sb[start + 1] - '0') * 10 + (sb[start + 2] - '0');
                if (code >= 100 && code < STATUS_CODES.length && sb[start + 1] >= '0' && sb[start + 1] <= '9'
                        && sb[start + 2] >= '0' && sb[start + 2] <= '9') {
                    return STATUS_CODES[code];
                }
            }
            return super.splitSecondWordInitialLine(sb, start, length);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
            if (length == 2 && sb[start] == 'O' && sb[start + 1] == 'K') {
                return "OK";
            }
            return super.splitThirdWordInitialLine(sb, start, length);
        }

        private static boolean equal(byte[] sb, int start, byte[] expected) {
            return java.util.Arrays.equals(sb, start, start + expected.length, expected, 0, expected.length);
        }
    }
}
