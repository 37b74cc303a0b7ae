package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.internal.upstream.LineHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Map;

/**
 * The frames of one HTTP/2 request stream as the HTTP/1.1 message objects the proxy handles. A request's
 * {@code :method} and {@code :path} make its request line and {@code :authority} its {@code Host}; cookie crumbs
 * are joined into one {@code Cookie} line (RFC 9113 8.2.3); a body without {@code content-length} is announced as
 * chunked so that it streams to the real server as it comes. Nothing else is added (no {@code x-http2-*} headers).
 * The head's fields go into a {@link LineHeaders} table (validated as an HTTP/1.1 head's are), so the request path
 * reads and copies them as it does an HTTP/1.1 head's. Netty's decoder has already refused connection-specific
 * headers, upper-case names and a {@code content-length} that the DATA frames contradict. Stateless.
 */
final class StreamRequests {

    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory()
            .withValidation(true);

    private StreamRequests() {
    }

    /** The request head of stream {@code id}; a full request when its HEADERS frame ends the stream. */
    static HttpRequest request(int id, Http2Headers h, boolean endStream) throws Http2Exception {
        CharSequence method = h.method();
        CharSequence authority = h.authority();
        CharSequence path = HttpMethod.CONNECT.asciiName().contentEquals(method == null ? "" : method) ? authority
                : h.path();
        if (method == null || path == null) {
            throw Http2Exception.streamError(id, Http2Error.PROTOCOL_ERROR, "a request without :method or :path");
        }
        HttpRequest request = endStream
                ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method.toString()),
                        path.toString(), Unpooled.EMPTY_BUFFER, LineHeaders.FACTORY, TRAILERS)
                : new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method.toString()), path.toString(),
                        LineHeaders.FACTORY);
        HttpHeaders out = request.headers();
        copy(h, out, true);
        if (authority != null) {
            out.set(HttpHeaderNames.HOST, authority); // :authority wins over a Host field (RFC 9113 8.3.1)
        }
        if (!endStream && !out.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return request;
    }

    /** A HEADERS frame after the head: the trailers, which must end the stream. */
    static LastHttpContent trailers(int id, Http2Headers h, boolean endStream) throws Http2Exception {
        if (!endStream) {
            throw Http2Exception.streamError(id, Http2Error.PROTOCOL_ERROR,
                    "a second HEADERS frame that does not end the stream");
        }
        DefaultLastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, TRAILERS);
        copy(h, last.trailingHeaders(), false);
        return last;
    }

    /** A DATA frame's bytes (retained) as a body piece; the last one when it ends the stream. */
    static HttpContent piece(ByteBuf data, boolean endStream) {
        return endStream ? new DefaultLastHttpContent(data.retain(), TRAILERS) : new DefaultHttpContent(data.retain());
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
