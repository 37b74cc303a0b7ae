package dev.switchboard.examples.gateway.admin;

import dev.switchboard.api.HttpRequest;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query of {@code GET /api/explain}, checked and turned into the request to explain. Every parameter but
 * {@code vs} is optional: {@code path} ({@code /x}, may carry {@code ?query}), {@code query}, {@code host},
 * {@code method} (GET), {@code scheme} (http), {@code header} (repeatable, {@code Name: value}), {@code source}
 * (an IP literal, 127.0.0.1) and {@code sni}.
 *
 * @param virtualService the virtual service to ask
 * @param request        the request, as the listener would have handed it to the engine
 */
record ExplainQuery(String virtualService, HttpRequest request) {

    private static final Set<String> SINGLE =
            Set.of("vs", "path", "query", "host", "method", "scheme", "source", "sni");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    private static final String PARAMS = "vs, path, query, host, method, scheme, header, source, sni";

    /**
     * @throws AdminError 400 naming the parameter and value that is missing, repeated, unknown or malformed
     */
    static ExplainQuery parse(Map<String, List<String>> params) {
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (!SINGLE.contains(e.getKey()) && !e.getKey().equals("header")) {
                throw AdminError.badRequest("query parameter: " + e.getKey() + " (expected: one of " + PARAMS + ")");
            }
            if (SINGLE.contains(e.getKey()) && e.getValue().size() > 1) {
                throw AdminError.badRequest(e.getKey() + ": given " + e.getValue().size() + " times (expected: once)");
            }
        }
        String vs = single(params, "vs", "");
        if (vs.isEmpty()) {
            throw AdminError.badRequest("vs: missing (expected: the name of a virtual service)");
        }
        HttpRequest.Builder b = HttpRequest.builder();
        b.target(target(single(params, "path", "/"), single(params, "query", "")));
        b.method(checked("method", single(params, "method", "GET"), TOKEN));
        b.scheme(scheme(single(params, "scheme", "http")));
        b.source(source(single(params, "source", "127.0.0.1")));
        b.tls(text("sni", single(params, "sni", "")), "");
        for (String header : params.getOrDefault("header", List.of())) {
            header(b, header);
        }
        String host = text("host", single(params, "host", ""));
        if (!host.isEmpty()) {
            b.authority(host);
        }
        return new ExplainQuery(vs, b.build());
    }

    private static String single(Map<String, List<String>> params, String name, String otherwise) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? otherwise : values.get(0);
    }

    private static String target(String path, String query) {
        text("path", path);
        text("query", query);
        if (!path.startsWith("/")) {
            throw AdminError.badRequest("path: " + path + " (expected: starting with /)");
        }
        if (query.isEmpty()) {
            return path;
        }
        if (path.indexOf('?') >= 0) {
            throw AdminError.badRequest("query: " + query + " (expected: not together with a path that has a ?query)");
        }
        return path + "?" + query;
    }

    private static String scheme(String scheme) {
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw AdminError.badRequest("scheme: " + scheme + " (expected: http or https)");
        }
        return scheme;
    }

    private static InetAddress source(String source) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(source);
        if (bytes == null) {
            throw AdminError.badRequest("source: " + source + " (expected: an IPv4 or IPv6 literal)");
        }
        try {
            return InetAddress.getByAddress(bytes); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw AdminError.badRequest("source: " + source + " (expected: an IPv4 or IPv6 literal)");
        }
    }

    private static void header(HttpRequest.Builder b, String header) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
            throw AdminError.badRequest("header: " + header + " (expected: Name: value)");
        }
        String name = checked("header", header.substring(0, colon), TOKEN);
        b.header(name, text("header", header.substring(colon + 1).strip()));
    }

    private static String checked(String what, String value, Pattern pattern) {
        if (!pattern.matcher(value).matches()) {
            throw AdminError.badRequest(what + ": " + value + " (expected: an HTTP token)");
        }
        return value;
    }

    /** Rejects control characters (they could not have arrived in a real request line or header). */
    private static String text(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw AdminError.badRequest(what + ": " + printable(value) + " (expected: no control characters)");
            }
        }
        return value;
    }

    private static String printable(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
