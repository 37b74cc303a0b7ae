package dev.switchboard.netty.internal.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.EmptyHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;

/**
 * A response head or trailers in their HTTP/2 form, converted in one pass: names lower-cased (most already are),
 * connection-specific fields dropped ({@code Connection} and the fields it names, {@code Keep-Alive},
 * {@code Proxy-Connection}, {@code Transfer-Encoding}, {@code Upgrade}, {@code Host}; {@code TE} only as
 * {@code trailers}; RFC 9113 8.2.2), and no second validation pass: the names come from an HTTP/1.1 head the
 * gateway parsed or wrote, and what HTTP/2 forbids in a name (upper case, a leading colon) is dealt with here.
 * Netty's general conversion builds a map of the {@code Connection} tokens for every head; this one only when the
 * head has such a field. Stateless.
 */
final class StreamHeads {

    private static final AsciiString KEEP_ALIVE = HttpHeaderNames.KEEP_ALIVE;
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private StreamHeads() {
    }

    /** The HEADERS of {@code response}: {@code :status}, then its regular fields. */
    static Http2Headers of(HttpResponse response) {
        HttpHeaders in = response.headers();
        Http2Headers out = new DefaultHttp2Headers(false, in.size() + 1);
        out.status(response.status().codeAsText());
        copy(in, out);
        return out;
    }

    /** The trailers' fields, or an empty set. */
    static Http2Headers trailers(HttpHeaders in) {
        if (in.isEmpty()) {
            return EmptyHttp2Headers.INSTANCE;
        }
        Http2Headers out = new DefaultHttp2Headers(false, in.size());
        copy(in, out);
        return out;
    }

    private static void copy(HttpHeaders in, Http2Headers out) {
        String connection = in.get(HttpHeaderNames.CONNECTION);
        Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            AsciiString name = AsciiString.of(e.getKey()).toLowerCase();
            if (name.isEmpty() || name.byteAt(0) == ':' || connectionSpecific(name)
                    || connection != null && named(connection, name)) {
                continue;
            }
            if (HttpHeaderNames.TE.contentEquals(name)) {
                if (named(e.getValue().toString(), HttpHeaderValues.TRAILERS)) {
                    out.add(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
                }
            } else {
                out.add(name, e.getValue());
            }
        }
    }

    private static boolean connectionSpecific(AsciiString name) {
        return HttpHeaderNames.CONNECTION.contentEquals(name) || KEEP_ALIVE.contentEquals(name)
                || PROXY_CONNECTION.contentEquals(name) || HttpHeaderNames.TRANSFER_ENCODING.contentEquals(name)
                || HttpHeaderNames.UPGRADE.contentEquals(name) || HttpHeaderNames.HOST.contentEquals(name);
    }

    /** Whether the comma-separated {@code list} holds {@code token} (case-insensitive, blanks trimmed). */
    static boolean named(String list, CharSequence token) {
        int start = 0;
        while (start <= list.length()) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            if (AsciiString.contentEqualsIgnoreCase(list.substring(start, end).trim(), token)) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
        return false;
    }
}
