package dev.switchboard.netty.internal.http;

import dev.switchboard.api.RequestView;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.util.List;

/**
 * The engine's view of a client's request head, read straight from Netty's header table (no copy). The request
 * target is split once: origin form {@code /p?q}, absolute form {@code http://host/p?q} (its authority wins over
 * Host, RFC 9112 section 3.2.2), or {@code *}. Event loop only.
 */
final class NettyRequestView implements RequestView {

    private final HttpRequest head;
    private final String scheme;
    private final String authority;
    private final String rawPath;
    private final String query;
    private final InetAddress source;
    private final String tlsServerName;
    private final String tlsSessionId;

    NettyRequestView(HttpRequest head, String scheme, InetAddress source, String tlsServerName, String tlsSessionId) {
        this.head = head;
        this.scheme = scheme;
        this.source = source;
        this.tlsServerName = tlsServerName;
        this.tlsSessionId = tlsSessionId;
        String uri = head.uri();
        int start = 0;
        String fromTarget = "";
        int scheme3 = uri.startsWith("/") ? -1 : uri.indexOf("://");
        if (scheme3 > 0) {
            int authorityStart = scheme3 + 3;
            int slash = indexOfAny(uri, authorityStart);
            fromTarget = uri.substring(authorityStart, slash);
            start = slash;
        }
        int q = uri.indexOf('?', start);
        String path = q < 0 ? uri.substring(start) : uri.substring(start, q);
        this.rawPath = path.isEmpty() ? "/" : path;
        this.query = q < 0 ? "" : uri.substring(q + 1);
        String host = head.headers().get(HttpHeaderNames.HOST);
        this.authority = !fromTarget.isEmpty() ? fromTarget : host == null ? "" : host;
    }

    private static int indexOfAny(String uri, int from) {
        for (int i = from; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '?') {
                return i;
            }
        }
        return uri.length();
    }

    @Override
    public String method() {
        return head.method().name();
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public String header(String name) {
        return head.headers().get(name);
    }

    @Override
    public String combinedHeader(String name) {
        List<String> lines = head.headers().getAll(name);
        return lines.isEmpty() ? null : lines.size() == 1 ? lines.get(0) : String.join(", ", lines);
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public String tlsServerName() {
        return tlsServerName;
    }

    @Override
    public String tlsSessionId() {
        return tlsSessionId;
    }

    @Override
    public String toString() {
        return method() + " " + head.uri();
    }
}
