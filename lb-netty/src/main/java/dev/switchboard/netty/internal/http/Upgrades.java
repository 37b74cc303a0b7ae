package dev.switchboard.netty.internal.http;

import dev.switchboard.api.VirtualService;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * Which protocol upgrades a request asks for and which of them go on to the real server (RFC 9110 section 7.8).
 * A request asks for an upgrade when it is HTTP/1.1, its {@code Connection} header names {@code upgrade} and it has
 * an {@code Upgrade} header (an HTTP/1.0 request's {@code Upgrade} is ignored, as the RFC says). Of the protocols it
 * offers, only those the virtual service allows ({@link VirtualService#upgrades()}, compared by name without regard
 * to case, a {@code /version} ignored) are passed on; {@code h2c} never is, whatever the list says (a tunnel to a
 * server that speaks h2c would carry requests the gateway never sees past every rule). Stateless.
 */
final class Upgrades {

    private static final String H2C = "h2c";

    private Upgrades() {
    }

    /** Whether {@code head} asks to switch protocols (its bytes after it may then not be HTTP). */
    static boolean asked(HttpMessage head) {
        HttpHeaders h = head.headers();
        return head.protocolVersion().equals(HttpVersion.HTTP_1_1) && h.contains(HttpHeaderNames.UPGRADE)
                && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE, true);
    }

    /** The protocols the virtual service named {@code virtualService} lets requests upgrade to. */
    static List<String> allowed(ProxyContext context, String virtualService) {
        return context.engine().model().findVirtualService(virtualService).map(VirtualService::upgrades)
                .orElse(List.of());
    }

    /**
     * The {@code Upgrade} value to send to the real server: the protocols {@code head} offers that {@code allowed}
     * names, in the client's order and spelling; null when the request asks for no upgrade or none is allowed
     * (it then goes on as a plain request, its {@code Upgrade} header removed).
     */
    static String offered(HttpMessage head, List<String> allowed) {
        if (allowed.isEmpty() || !asked(head)) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String line : head.headers().getAll(HttpHeaderNames.UPGRADE)) {
            for (String element : line.split(",")) {
                String protocol = element.trim();
                if (isProtocol(protocol) && names(allowed, name(protocol))) {
                    out.append(out.length() == 0 ? "" : ", ").append(protocol);
                }
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    /**
     * Whether a {@code 101}'s {@code Upgrade} value {@code answered} switches to one of the protocols sent as
     * {@code offered} (one protocol, by name; a server that switches to anything else gets 502).
     */
    static boolean accepts(String offered, String answered) {
        if (answered == null) {
            return false;
        }
        String protocol = answered.trim();
        if (!isProtocol(protocol) || name(protocol).equalsIgnoreCase(H2C)) {
            return false;
        }
        for (String element : offered.split(",")) {
            if (name(element.trim()).equalsIgnoreCase(name(protocol))) {
                return true;
            }
        }
        return false;
    }

    private static boolean names(List<String> allowed, String name) {
        if (name.equalsIgnoreCase(H2C)) {
            return false;
        }
        for (int i = 0; i < allowed.size(); i++) {
            if (allowed.get(i).equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static String name(String protocol) {
        int slash = protocol.indexOf('/');
        return slash < 0 ? protocol : protocol.substring(0, slash);
    }

    /** {@code token ["/" token]} (RFC 9110 section 7.8). */
    private static boolean isProtocol(String s) {
        int slash = s.indexOf('/');
        return slash < 0 ? isToken(s, 0, s.length())
                : isToken(s, 0, slash) && isToken(s, slash + 1, s.length());
    }

    private static boolean isToken(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
