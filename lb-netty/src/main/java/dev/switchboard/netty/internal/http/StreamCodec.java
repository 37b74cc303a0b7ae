package dev.switchboard.netty.internal.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;
import java.util.Map;

/**
 * Turns the frames of one HTTP/2 request stream into the HTTP/1.1 message objects the proxy handles, and the
 * response objects back into frames (Netty's conversion: connection-specific headers never cross, a
 * {@code 100 Continue} becomes an interim HEADERS frame, trailers a last HEADERS frame). A request's
 * {@code :method} and {@code :path} make its request line and {@code :authority} its {@code Host}; cookie crumbs
 * are joined into one {@code Cookie} line (RFC 9113 8.2.3); a body without {@code content-length} is announced as
 * chunked so that it streams to the real server as it comes. Nothing else is added (no {@code x-http2-*} headers).
 * Netty's decoder has already refused connection-specific headers, upper-case names and a {@code content-length}
 * that the DATA frames contradict. Every frame either way restarts the stream's idle clock ({@link StreamIdle}).
 * Not sharable: one per stream, on its channel's loop.
 */
final class StreamCodec extends Http2StreamFrameToHttpObjectCodec {

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
        super(true, true);
        this.idleTimer = idleTimer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        lastActivity = System.nanoTime();
        idleTimer.add(this);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        idleTimer.remove(this);
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastActivity = System.nanoTime();
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        lastActivity = System.nanoTime();
        super.write(ctx, msg, promise);
    }

    /** No frame either way for the idle timeout: the request decides whether the stream is reset. */
    void idle() {
        ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out) throws Exception {
        if (frame instanceof Http2HeadersFrame headers) {
            if (!headSeen) {
                headSeen = true;
                out.add(request(headers));
            } else if (headers.isEndStream()) {
                DefaultLastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, TRAILERS);
                copy(headers.headers(), last.trailingHeaders(), false);
                out.add(last);
            } else {
                throw Http2Exception.streamError(headers.stream().id(), Http2Error.PROTOCOL_ERROR,
                        "a second HEADERS frame that does not end the stream");
            }
        } else if (frame instanceof Http2DataFrame data) {
            out.add(data.isEndStream() ? new DefaultLastHttpContent(data.content().retain(), TRAILERS)
                    : new DefaultHttpContent(data.content().retain()));
        }
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
