package dev.switchboard.netty.internal.http;

import dev.switchboard.api.Decision;
import dev.switchboard.api.UpstreamProtocol;
import dev.switchboard.netty.settings.ExpectContinue;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.internal.upstream.HeaderFields;
import dev.switchboard.netty.internal.upstream.HeaderLines;
import dev.switchboard.netty.internal.upstream.LineHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the request head a real server gets: the decision's path, query and host, hop-by-hop headers removed
 * (RFC 9110 section 7.6.1), {@code Expect} per the listener's policy, the forwarded headers, then the engine's
 * request edits in order; an upgrade that goes on ({@link ProxyRequest#upgrade()}) gets {@code Connection: Upgrade}
 * and the allowed protocols in {@code Upgrade} back. The client's head is never changed, so a retry can dispatch it
 * again. Without edits the head writes itself from the client's header lines ({@link UpstreamHead}); with edits it
 * is a header table copied from the client's and edited (always for an h2 real server: Netty's HTTP/2 conversion
 * reads the table). Stateless.
 */
final class UpstreamRequests {

    // AsciiString names: their hash is computed once, not on every header lookup of every request
    private static final AsciiString[] HOP_BY_HOP = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
        AsciiString.cached("proxy-connection"), HttpHeaderNames.TE, HttpHeaderNames.UPGRADE,
        HttpHeaderNames.PROXY_AUTHENTICATE};
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
    private static final AsciiString FORWARDED = AsciiString.cached("Forwarded");
    private static final List<String> CLOSE = List.of("close");
    /** The Host header as written to real servers (in the usual case; names are case-insensitive). */
    static final AsciiString HOST = AsciiString.cached("Host");
    /** Connection and Upgrade as written to real servers for an upgrade that goes on. */
    static final AsciiString CONNECTION = AsciiString.cached("Connection");
    static final AsciiString UPGRADE = AsciiString.cached("Upgrade");
    /** Transfer-Encoding as written to real servers. */
    static final AsciiString TRANSFER_ENCODING = AsciiString.cached("Transfer-Encoding");

    /** What {@link #kindOf} says of a header name's field. */
    static final int OTHER = 0;
    static final int HOP_BY_HOP_OR_HOST = 1;
    static final int EXPECT = 2;
    static final int XFF = 3;
    static final int XFP = 4;
    static final int XFH = 5;
    static final int FWD = 6;
    static final int FRAMING = 7;

    private UpstreamRequests() {
    }

    static HttpRequest build(ProxyRequest request, Decision.Forward forward, ListenerSettings settings,
            String scheme) {
        HttpRequest client = request.head();
        boolean dropExpect = settings.expectContinue() != ExpectContinue.RFC7231 || !request.hasBody();
        String host = forward.host().isEmpty() ? forward.target().address().toString() : forward.host();
        HeaderLines.checkValue(HOST, host); // a host rule may have produced it
        String uri = forward.query().isEmpty() ? forward.path() : forward.path() + '?' + forward.query();
        List<String> dropped = connectionTokens(client.headers());
        Forwarded forwarded = settings.forwardedHeaders() ? forwarded(client.headers(), dropped, request, scheme,
                settings.proxies().contains(request.view().sourceAddress())) : null;
        if (forward.requestEdits().isEmpty() && forward.target().upstreamProtocol() == UpstreamProtocol.HTTP_1_1) {
            return new UpstreamHead(client, uri, host, HttpUtil.isTransferEncodingChunked(client), dropped,
                    dropExpect, forwarded, request.upgrade(), !request.hasBody());
        }
        HttpHeaders h = client.headers().copy();
        removeHopByHop(h);
        if (request.upgrade() != null) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            h.set(UPGRADE, request.upgrade());
        }
        if (dropExpect) {
            h.remove(HttpHeaderNames.EXPECT);
        }
        h.set(HOST, host);
        if (forwarded != null) {
            forwarded.apply(h);
        }
        HeaderEdits.apply(h, forward.requestEdits());
        frame(h, client.headers(), HttpUtil.isTransferEncodingChunked(client));
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, client.method(), uri, h);
    }

    /**
     * The forwarded headers; from an untrusted peer they depend on the connection and the request's host only, so
     * the connection keeps the last ones (a keep-alive client usually asks for one host).
     */
    private static Forwarded forwarded(HttpHeaders client, List<String> dropped, ProxyRequest request, String scheme,
            boolean trusted) {
        if (trusted) {
            return Forwarded.of(client, dropped, request, scheme, true);
        }
        ClientConnection conn = request.connection();
        String host = request.view().authority();
        Forwarded cached = conn.lastForwarded(host);
        if (cached == null) {
            cached = Forwarded.of(client, dropped, request, scheme, false);
            conn.lastForwarded(host, cached);
        }
        return cached;
    }

    /**
     * Puts back the body's framing as the gateway parsed it, whatever the rules did: {@code Transfer-Encoding:
     * chunked} exactly for a chunked body (the client's spelling of it is not passed on), else the client's
     * {@code Content-Length} (checked to be one number) or none.
     */
    private static void frame(HttpHeaders h, HttpHeaders client, boolean chunked) {
        if (chunked) {
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
            h.add(TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            return;
        }
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        String length = client.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
        } else {
            h.set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
    }

    /** Removes the headers that concern one connection only, including those that {@code Connection} names. */
    static void removeHopByHop(HttpHeaders h) {
        List<String> named = connectionTokens(h);
        for (int i = 0; i < named.size(); i++) {
            h.remove(named.get(i));
        }
        for (AsciiString name : HOP_BY_HOP) {
            h.remove(name);
        }
    }

    /**
     * The header names that the {@code Connection} header lists (lower case), except {@code transfer-encoding},
     * which stays with the body it frames, and {@code keep-alive}, which goes anyway. Allocation-free for the usual
     * {@code keep-alive} and {@code close}.
     */
    static List<String> connectionTokens(HttpHeaders h) {
        if (h instanceof LineHeaders table) { // the usual heads without a String or a list
            int first = table.indexOf(HeaderFields.CONNECTION, 0);
            if (first < 0) {
                return List.of();
            }
            if (table.indexOf(HeaderFields.CONNECTION, first + 1) < 0) {
                CharSequence v = table.valueAt(first);
                if (HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(v)) {
                    return List.of();
                }
                if (HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(v)) {
                    return CLOSE;
                }
            }
        }
        String only = h.get(HttpHeaderNames.CONNECTION);
        if (only == null) {
            return List.of();
        }
        List<String> lines = h.getAll(HttpHeaderNames.CONNECTION);
        if (lines.size() == 1) {
            String v = lines.get(0);
            if (v.equalsIgnoreCase("keep-alive")) {
                return List.of();
            }
            if (v.equalsIgnoreCase("close")) {
                return CLOSE;
            }
        }
        List<String> names = new ArrayList<>(2);
        for (int i = 0; i < lines.size(); i++) {
            for (String token : lines.get(i).split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.equals("transfer-encoding") && !name.equals("keep-alive")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Whether {@code name} is one of {@code tokens} (what {@link #connectionTokens} gave), in any letter case. */
    static boolean names(List<String> tokens, CharSequence name) {
        for (int i = 0; i < tokens.size(); i++) {
            if (AsciiString.contentEqualsIgnoreCase(name, tokens.get(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sorts a request header for {@link UpstreamHead} by its name's {@link HeaderFields} field: hop-by-hop and
     * Host, Expect, a forwarded one, Transfer-Encoding (written as the gateway frames the body), other.
     */
    static int kindOf(int field) {
        return switch (field) {
            case HeaderFields.TE, HeaderFields.HOST, HeaderFields.UPGRADE, HeaderFields.CONNECTION,
                    HeaderFields.KEEP_ALIVE, HeaderFields.PROXY_CONNECTION, HeaderFields.PROXY_AUTHENTICATE ->
                HOP_BY_HOP_OR_HOST;
            case HeaderFields.EXPECT -> EXPECT;
            case HeaderFields.X_FORWARDED_FOR -> XFF;
            case HeaderFields.X_FORWARDED_PROTO -> XFP;
            case HeaderFields.X_FORWARDED_HOST -> XFH;
            case HeaderFields.FORWARDED -> FWD;
            case HeaderFields.TRANSFER_ENCODING -> FRAMING;
            default -> OTHER;
        };
    }

    /**
     * Whether a response header of {@link HeaderFields} field {@code field} concerns one connection only (those its
     * {@code Connection} names aside).
     */
    static boolean hopByHopField(int field) {
        return field != HeaderFields.HOST && kindOf(field) == HOP_BY_HOP_OR_HOST;
    }

    /**
     * The forwarded headers of one request. {@code X-Forwarded-For} and {@code Forwarded} get the peer appended
     * when it is a trusted proxy and replaced otherwise; {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are
     * kept from a trusted proxy (they name the original client's scheme and host) and set from what this listener
     * saw otherwise. A {@code null} proto or host means: keep the client's lines; {@code removeHost}: drop them.
     */
    record Forwarded(String xff, String proto, String host, boolean removeHost, String forwarded) {

        static Forwarded of(HttpHeaders client, List<String> dropped, ProxyRequest request, String scheme,
                boolean trusted) {
            InetAddress peer = request.view().sourceAddress();
            String peerText = request.connection().peerText();
            String originalHost = request.view().authority();
            String earlierXff = trusted ? joined(client, X_FORWARDED_FOR, dropped) : "";
            boolean hasProto = has(client, X_FORWARDED_PROTO, dropped);
            boolean hasHost = has(client, X_FORWARDED_HOST, dropped);
            String proto = !trusted || !hasProto ? scheme : null;
            String host = (!trusted || !hasHost) && !originalHost.isEmpty() ? originalHost : null;
            boolean removeHost = host == null && !trusted;
            StringBuilder element = new StringBuilder(64).append("for=");
            if (peer instanceof Inet6Address) {
                element.append("\"[").append(peerText).append("]\"");
            } else {
                element.append(peerText);
            }
            if (!originalHost.isEmpty()) {
                element.append(";host=\"").append(originalHost.replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
            }
            element.append(";proto=").append(scheme);
            String earlier = trusted ? joined(client, FORWARDED, dropped) : "";
            return new Forwarded(earlierXff.isEmpty() ? peerText : earlierXff + ", " + peerText, proto, host,
                    removeHost, earlier.isEmpty() ? element.toString() : earlier + ", " + element);
        }

        /** Whether the client's lines of a header of this kind are left out (replaced or dropped). */
        boolean replaces(int kind) {
            return switch (kind) {
                case XFF, FWD -> true;
                case XFP -> proto != null;
                case XFH -> host != null || removeHost;
                default -> false;
            };
        }

        void write(HeaderLines out) {
            out.line(X_FORWARDED_FOR, xff);
            if (proto != null) {
                out.line(X_FORWARDED_PROTO, proto);
            }
            if (host != null) {
                out.line(X_FORWARDED_HOST, host);
            }
            out.line(FORWARDED, forwarded);
        }

        void apply(HttpHeaders h) {
            h.set(X_FORWARDED_FOR, xff);
            if (proto != null) {
                h.set(X_FORWARDED_PROTO, proto);
            }
            if (host != null) {
                h.set(X_FORWARDED_HOST, host);
            } else if (removeHost) {
                h.remove(X_FORWARDED_HOST);
            }
            h.set(FORWARDED, forwarded);
        }

        private static boolean has(HttpHeaders h, AsciiString name, List<String> dropped) {
            return h.contains(name) && (dropped.isEmpty() || !dropped.contains(name.toLowerCase().toString()));
        }

        private static String joined(HttpHeaders h, AsciiString name, List<String> dropped) {
            if (!has(h, name, dropped)) {
                return "";
            }
            List<String> values = h.getAll(name);
            return values.size() == 1 ? values.get(0) : String.join(", ", values);
        }
    }
}
