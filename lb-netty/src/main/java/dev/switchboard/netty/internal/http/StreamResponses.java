package dev.switchboard.netty.internal.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.Iterator;
import java.util.Map;

/**
 * The response objects of the proxy as HTTP/2 frames of one stream: a head becomes a HEADERS frame (an interim
 * {@code 1xx} one that does not end the stream), a body piece a DATA frame, the last piece's trailers a last
 * HEADERS frame. A head's fields cross in one pass: names in lower case, and the connection-specific fields
 * ({@code Connection} and the fields it names, {@code Keep-Alive}, {@code Proxy-Connection},
 * {@code Transfer-Encoding}, {@code Upgrade}, a {@code TE} other than {@code trailers}) left out (RFC 9113 8.2.2),
 * without building a set of the tokens for a head that has no {@code Connection} field. Stateless.
 */
final class StreamResponses {

    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private StreamResponses() {
    }

    /**
     * Writes {@code msg} (an {@link HttpResponse}, {@link HttpContent} or both) on stream {@code id}, unflushed.
     *
     * @return whether it ended the stream's response
     */
    static boolean write(ClientStreams streams, int id, Object msg) {
        boolean ended = false;
        if (msg instanceof HttpResponse head) {
            boolean interim = head.status().code() < 200;
            boolean full = msg instanceof FullHttpMessage;
            boolean bodiless = full && !interim && ((FullHttpMessage) msg).content().readableBytes() == 0
                    && ((FullHttpMessage) msg).trailingHeaders().isEmpty();
            streams.writeHeaders(id, headers(head), bodiless);
            if (interim || bodiless) {
                ReferenceCountUtil.release(msg);
                return bodiless;
            }
            if (!full) {
                return false;
            }
        }
        if (msg instanceof HttpContent piece) {
            ByteBuf data = piece.content();
            if (piece instanceof LastHttpContent last) {
                HttpHeaders trailers = last.trailingHeaders();
                if (trailers.isEmpty()) {
                    streams.writeData(id, data, true);
                } else {
                    if (data.isReadable()) {
                        streams.writeData(id, data, false);
                    } else {
                        data.release();
                    }
                    streams.writeHeaders(id, fields(trailers, new DefaultHttp2Headers(false, trailers.size())),
                            true);
                }
                ended = true;
            } else {
                streams.writeData(id, data, false);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
        return ended;
    }

    /** A response head's fields as HTTP/2 headers with its {@code :status}. */
    static Http2Headers headers(HttpResponse head) {
        HttpHeaders in = head.headers();
        Http2Headers out = new DefaultHttp2Headers(false, in.size() + 1);
        out.status(head.status().codeAsText());
        return fields(in, out);
    }

    private static Http2Headers fields(HttpHeaders in, Http2Headers out) {
        String connection = in.get(HttpHeaderNames.CONNECTION);
        Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = lowerCase(e.getKey());
            CharSequence value = e.getValue();
            if (connectionSpecific(name, value) || connection != null && named(connection, name)) {
                continue;
            }
            out.add(name, value);
        }
        return out;
    }

    private static boolean connectionSpecific(CharSequence name, CharSequence value) {
        return HttpHeaderNames.CONNECTION.contentEquals(name) || HttpHeaderNames.KEEP_ALIVE.contentEquals(name)
                || PROXY_CONNECTION.contentEquals(name) || HttpHeaderNames.TRANSFER_ENCODING.contentEquals(name)
                || HttpHeaderNames.UPGRADE.contentEquals(name)
                || HttpHeaderNames.TE.contentEquals(name)
                        && !AsciiString.contentEqualsIgnoreCase(value, HttpHeaderValues.TRAILERS);
    }

    /** Whether the {@code Connection} value lists {@code name} among its comma-separated tokens. */
    private static boolean named(String connection, CharSequence name) {
        int start = 0;
        int n = connection.length();
        while (start <= n) {
            int end = connection.indexOf(',', start);
            if (end < 0) {
                end = n;
            }
            String token = connection.substring(start, end).trim();
            if (AsciiString.contentEqualsIgnoreCase(token, name)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** {@code name} in lower case, without a copy when it is already. */
    private static CharSequence lowerCase(CharSequence name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return AsciiString.of(name).toLowerCase();
            }
        }
        return name;
    }
}
