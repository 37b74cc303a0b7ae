package dev.switchboard.netty.internal.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * Turns the frames of one HTTP/2 request stream into the HTTP/1.1 message objects the proxy handles, and the
 * response objects back into frames (connection-specific headers never cross ({@link StreamHeads}), a
 * {@code 100 Continue} becomes an interim HEADERS frame, trailers a last HEADERS frame). A request's
 * {@code :method} and {@code :path} make its request line and {@code :authority} its {@code Host}; cookie crumbs
 * are joined into one {@code Cookie} line (RFC 9113 8.2.3); a body without {@code content-length} is announced as
 * chunked so that it streams to the real server as it comes. Nothing else is added (no {@code x-http2-*} headers).
 * Netty's decoder has already refused connection-specific headers, upper-case names and a {@code content-length}
 * that the DATA frames contradict. Each message is written as its frames at once (no intermediate list, no promise
 * aggregation). Every frame either way restarts the stream's idle clock ({@link StreamIdle}). Not sharable: one
 * per stream, on its channel's loop.
 */
final class StreamCodec extends ChannelDuplexHandler {

    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(true);
    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory()
            .withValidation(true);

    private final StreamIdle idleTimer;
    private ChannelHandlerContext ctx;
    private boolean headSeen;
    /** When a frame last came or went ({@link System#nanoTime()}); {@link StreamIdle}'s. */
    long lastActivity;
    /** The neighbours in {@link StreamIdle}'s list of open streams. */
    StreamCodec idlePrevious;
    StreamCodec idleNext;

    StreamCodec(StreamIdle idleTimer) {
        this.idleTimer = idleTimer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lastActivity = System.nanoTime();
        idleTimer.add(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        idleTimer.remove(this);
        ctx.fireChannelInactive();
    }

    /** No frame either way for the idle timeout: the request decides whether the stream is reset. */
    void idle() {
        ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = System.nanoTime();
        if (msg instanceof Http2DataFrame data) { // the content passes on: the frame's reference is the piece's
            ctx.fireChannelRead(data.isEndStream() ? new DefaultLastHttpContent(data.content(), TRAILERS)
                    : new DefaultHttpContent(data.content()));
        } else if (msg instanceof Http2HeadersFrame headers) {
            Object decoded;
            try {
                decoded = decode(headers);
            } catch (Http2Exception e) {
                ctx.fireExceptionCaught(e);
                return;
            }
            ctx.fireChannelRead(decoded);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private Object decode(Http2HeadersFrame headers) throws Http2Exception {
        if (!headSeen) {
            headSeen = true;
            return request(headers);
        }
        if (headers.isEndStream()) {
            DefaultLastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, TRAILERS);
            copy(headers.headers(), last.trailingHeaders(), false);
            return last;
        }
        throw Http2Exception.streamError(headers.stream().id(), Http2Error.PROTOCOL_ERROR,
                "a second HEADERS frame that does not end the stream");
    }

    /**
     * A response head, body piece or end as frames: an interim head ({@code 100}) never ends the stream; a full
     * response without content or trailers is one HEADERS frame that ends it; a last piece ends it with its DATA
     * frame, or with a HEADERS frame of trailers, or with an empty DATA frame when it is empty.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastActivity = System.nanoTime();
        if (!(msg instanceof HttpResponse) && !(msg instanceof HttpContent)) {
            ctx.write(msg, promise);
            return;
        }
        try {
            writeFrames(ctx, msg, promise);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static void writeFrames(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean full = msg instanceof FullHttpMessage;
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            Http2Headers head = StreamHeads.of(response);
            if (code < 200) {
                ctx.write(new DefaultHttp2HeadersFrame(head, false), promise);
                return;
            }
            FullHttpMessage m = full ? (FullHttpMessage) msg : null;
            boolean alone = m != null && !m.content().isReadable() && m.trailingHeaders().isEmpty();
            if (alone || m == null && !(msg instanceof HttpContent)) {
                ctx.write(new DefaultHttp2HeadersFrame(head, alone), promise);
                return;
            }
            ctx.write(new DefaultHttp2HeadersFrame(head, false), ctx.voidPromise());
        }
        HttpContent content = (HttpContent) msg;
        if (!(msg instanceof LastHttpContent last)) {
            ctx.write(new DefaultHttp2DataFrame(content.content().retain(), false), promise);
            return;
        }
        HttpHeaders trailers = last.trailingHeaders();
        if (trailers.isEmpty()) {
            if (last.content().isReadable() || !full) {
                ctx.write(new DefaultHttp2DataFrame(last.content().retain(), true), promise);
            } else {
                promise.trySuccess(); // a full message with nothing after its head: ended above
            }
            return;
        }
        if (last.content().isReadable()) {
            ctx.write(new DefaultHttp2DataFrame(last.content().retain(), false), ctx.voidPromise());
        }
        ctx.write(new DefaultHttp2HeadersFrame(StreamHeads.trailers(trailers), true), promise);
    }

    private static HttpRequest request(Http2HeadersFrame frame) throws Http2Exception {
        Http2Headers h = frame.headers();
        int id = frame.stream().id();
        CharSequence method = h.method();
        CharSequence authority = h.authority();
        CharSequence path = HttpMethod.CONNECT.asciiName().contentEquals(method == null ? "" : method) ? authority
                : h.path();
        if (method == null || path == null) {
            throw Http2Exception.streamError(id, Http2Error.PROTOCOL_ERROR, "a request without :method or :path");
        }
        HttpRequest request = frame.isEndStream()
                ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method.toString()),
                        path.toString(), Unpooled.EMPTY_BUFFER, HEADERS, TRAILERS)
                : new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method.toString()), path.toString(),
                        HEADERS);
        HttpHeaders out = request.headers();
        copy(h, out, true);
        if (authority != null) {
            out.set(HttpHeaderNames.HOST, authority); // :authority wins over a Host field (RFC 9113 8.3.1)
        }
        if (!frame.isEndStream() && !out.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return request;
    }

    /** The regular fields of {@code in}; cookie crumbs joined with {@code "; "} when {@code joinCookies}. */
    private static void copy(Http2Headers in, HttpHeaders out, boolean joinCookies) {
        StringBuilder cookies = null;
        for (Map.Entry<CharSequence, CharSequence> e : in) {
            CharSequence name = e.getKey();
            if (name.length() > 0 && name.charAt(0) == ':') {
                continue;
            }
            if (joinCookies && HttpHeaderNames.COOKIE.contentEquals(name)) {
                cookies = cookies == null ? new StringBuilder() : cookies.append("; ");
                cookies.append(e.getValue());
            } else {
                out.add(name, e.getValue());
            }
        }
        if (cookies != null) {
            out.set(HttpHeaderNames.COOKIE, cookies.toString());
        }
    }
}
