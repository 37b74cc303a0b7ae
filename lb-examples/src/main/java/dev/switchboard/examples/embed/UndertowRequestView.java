package dev.switchboard.examples.embed;

import dev.switchboard.api.RequestView;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.net.InetAddress;

/**
 * The engine's view of an Undertow request, read from the exchange's own header table (no copy; Undertow compares
 * names ignoring case, so the engine's lower-case lookups find {@code Cookie} as well as {@code cookie}). The target
 * is taken raw, not decoded: origin form {@code /p?q}, or absolute form {@code http://host/p?q}, whose authority wins
 * over Host (RFC 9112 section 3.2.2). Valid only during the dispatch call, on the exchange's thread.
 */
final class UndertowRequestView implements RequestView {

    private final HttpServerExchange exchange;
    private final String authority;
    private final String rawPath;

    UndertowRequestView(HttpServerExchange exchange) {
        this.exchange = exchange;
        String uri = exchange.getRequestURI(); // raw: /p, or http://host/p when the client sent absolute form
        String fromTarget = "";
        int scheme = uri.startsWith("/") ? -1 : uri.indexOf("://");
        if (scheme > 0) {
            int slash = uri.indexOf('/', scheme + 3);
            fromTarget = uri.substring(scheme + 3, slash < 0 ? uri.length() : slash);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        int q = uri.indexOf('?'); // Undertow has already cut the query off; keep the path alone either way
        this.rawPath = q < 0 ? uri : uri.substring(0, q);
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        this.authority = !fromTarget.isEmpty() ? fromTarget : host == null ? "" : host;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod().toString();
    }

    @Override
    public String scheme() {
        return exchange.getRequestScheme();
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
        return exchange.getQueryString(); // raw, "" when absent
    }

    @Override
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public String combinedHeader(String name) {
        HeaderValues lines = exchange.getRequestHeaders().get(name);
        return lines == null || lines.isEmpty() ? null
                : lines.size() == 1 ? lines.getFirst() : String.join(", ", lines);
    }

    @Override
    public InetAddress sourceAddress() {
        return exchange.getSourceAddress().getAddress();
    }

    @Override
    public String toString() {
        return method() + " " + exchange.getRequestURI();
    }
}
