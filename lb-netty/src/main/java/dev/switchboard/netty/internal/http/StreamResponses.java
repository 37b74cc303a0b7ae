package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.internal.upstream.HeaderFields;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The response objects of the proxy as HTTP/2 frames of one stream: a head becomes a HEADERS frame (an interim
 * {@code 1xx} one that does not end the stream), a body piece a DATA frame, the last piece's trailers a last
 * HEADERS frame. A head's fields cross in one pass: names in lower case, and the connection-specific fields left out
 * (RFC 9113 8.2.2): the hop-by-hop ones that an HTTP/1.1 client's response loses too ({@link
 * UpstreamRequests#hopByHopField}, with those that {@code Connection} names), and {@code Transfer-Encoding}. Stateless.
 */
final class StreamResponses {

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
        List<String> named = UpstreamRequests.connectionTokens(in); // none, without allocating, for most heads
        Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = lowerCase(e.getKey());
            int field = HeaderFields.of(name);
            if (UpstreamRequests.hopByHopField(field) || field == HeaderFields.TRANSFER_ENCODING
                    || UpstreamRequests.names(named, name)) {
                continue;
            }
            out.add(name, e.getValue());
        }
        return out;
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
