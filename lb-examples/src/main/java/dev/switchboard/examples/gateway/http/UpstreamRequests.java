package dev.switchboard.examples.gateway.http;

import dev.switchboard.api.Cidr;
import dev.switchboard.api.Decision;
import dev.switchboard.examples.config.ExpectContinue;
import dev.switchboard.examples.config.ListenerSettings;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Builds the request head a real server gets: the decision's path, query and host, hop-by-hop headers removed
 * (RFC 9110 section 7.6.1), {@code Expect} per the listener's policy, the forwarded headers, then the engine's
 * request edits in order. The client's head is copied, never changed, so a retry can dispatch it again. Stateless.
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

    private UpstreamRequests() {
    }

    static HttpRequest build(ProxyRequest request, Decision.Forward forward, ListenerSettings settings,
            String scheme) {
        HttpRequest client = request.head();
        HttpHeaders h = client.headers().copy();
        removeHopByHop(h);
        if (settings.expectContinue() != ExpectContinue.RFC7231 || !request.hasBody()) {
            h.remove(HttpHeaderNames.EXPECT);
        }
        String host = forward.host().isEmpty() ? forward.target().address().toString() : forward.host();
        h.set(HttpHeaderNames.HOST, host);
        if (settings.forwardedHeaders()) {
            forwarded(h, request, scheme, trusted(settings.trustedProxies(), request.view().sourceAddress()));
        }
        HeaderEdits.apply(h, forward.requestEdits());
        String uri = forward.query().isEmpty() ? forward.path() : forward.path() + '?' + forward.query();
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, client.method(), uri, h);
    }

    /** Removes the headers that concern one connection only, including those that {@code Connection} names. */
    static void removeHopByHop(HttpHeaders h) {
        if (!h.contains(HttpHeaderNames.CONNECTION)) {
            for (AsciiString name : HOP_BY_HOP) {
                h.remove(name);
            }
            return;
        }
        List<String> connection = h.getAll(HttpHeaderNames.CONNECTION);
        for (int i = 0; i < connection.size(); i++) {
            for (String token : connection.get(i).split(",")) {
                String name = token.trim();
                if (!name.isEmpty() && !name.equalsIgnoreCase("transfer-encoding")) {
                    h.remove(name);
                }
            }
        }
        for (AsciiString name : HOP_BY_HOP) {
            h.remove(name);
        }
    }

    private static boolean trusted(List<Cidr> proxies, InetAddress peer) {
        for (int i = 0; i < proxies.size(); i++) {
            if (proxies.get(i).contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code X-Forwarded-For} and {@code Forwarded} get the peer appended when it is a trusted proxy and replaced
     * otherwise; {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are kept from a trusted proxy (they name
     * the original client's scheme and host) and set from what this listener saw otherwise.
     */
    private static void forwarded(HttpHeaders h, ProxyRequest request, String scheme, boolean trusted) {
        InetAddress peer = request.view().sourceAddress();
        String peerText = request.connection().peerText();
        String originalHost = request.view().authority();
        String xff = trusted ? joined(h, X_FORWARDED_FOR) : "";
        h.set(X_FORWARDED_FOR, xff.isEmpty() ? peerText : xff + ", " + peerText);
        if (!trusted || !h.contains(X_FORWARDED_PROTO)) {
            h.set(X_FORWARDED_PROTO, scheme);
        }
        if ((!trusted || !h.contains(X_FORWARDED_HOST)) && !originalHost.isEmpty()) {
            h.set(X_FORWARDED_HOST, originalHost);
        } else if (!trusted) {
            h.remove(X_FORWARDED_HOST);
        }
        StringBuilder element = new StringBuilder(64).append("for=");
        if (peer instanceof Inet6Address) {
            element.append("\"[").append(peerText).append("]\"");
        } else {
            element.append(peerText);
        }
        if (!originalHost.isEmpty()) {
            element.append(";host=\"").append(originalHost.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        element.append(";proto=").append(scheme);
        String earlier = trusted ? joined(h, FORWARDED) : "";
        h.set(FORWARDED, earlier.isEmpty() ? element.toString() : earlier + ", " + element);
    }

    private static String joined(HttpHeaders h, CharSequence name) {
        List<String> values = h.getAll(name);
        return values.isEmpty() ? "" : values.size() == 1 ? values.get(0) : String.join(", ", values);
    }
}
