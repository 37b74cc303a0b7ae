package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.Cidr;
import dev.switchboard.api.RequestView;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The client address behind trusted proxies: when the TCP peer is a trusted proxy, the hops of
 * {@code X-Forwarded-For} (or, without it, the {@code for=} parameters of {@code Forwarded}) are walked from the
 * right, and the first address that is not a trusted proxy is the client. The left-most hop is never believed
 * just for being first: the client writes it. A hop that is not an IP literal (garbage, {@code unknown}, an
 * obfuscated identifier) ends the walk with no address. Parses literals without name lookups. Immutable and
 * thread-safe.
 */
final class ClientAddress {

    private static final int MAX_HEADER = 8_192;

    private final List<Cidr> trusted;

    ClientAddress(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** The client's address, or null when the forwarded headers cannot say (then the request has no key). */
    InetAddress of(RequestView request) {
        InetAddress peer = request.sourceAddress();
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        String xff = request.header("x-forwarded-for");
        if (xff != null) {
            return walk(xff, false);
        }
        String forwarded = request.header("forwarded");
        return forwarded == null ? peer : walk(forwarded, true);
    }

    private InetAddress walk(String header, boolean forwardedSyntax) {
        if (header.length() > MAX_HEADER) {
            return null;
        }
        InetAddress last = null; // a header with no hop at all says nothing: no key
        int end = header.length();
        while (end > 0) {
            int comma = header.lastIndexOf(',', end - 1);
            String hop = header.substring(comma + 1, end).trim();
            end = comma < 0 ? 0 : comma;
            if (hop.isEmpty()) {
                continue;
            }
            InetAddress address = forwardedSyntax ? forElement(hop) : literal(hop);
            if (address == null) {
                return null;
            }
            if (!isTrusted(address)) {
                return address;
            }
            last = address;
        }
        return last; // every hop is a trusted proxy: the left-most one is where the request entered
    }

    /** The address in the {@code for=} parameter of one Forwarded element, or null. */
    private static InetAddress forElement(String element) {
        for (String pair : element.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
                String value = pair.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return literal(value);
            }
        }
        return null;
    }

    /** An IPv4 or IPv6 literal, optionally with a port ({@code 1.2.3.4:5}, {@code [::1]:5}), or null. */
    static InetAddress literal(String value) {
        String host = value;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = host.substring(1, close);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) {
            host = host.substring(0, host.indexOf(':')); // IPv4 with a port
        }
        try {
            if (host.indexOf(':') >= 0) {
                return host.matches("[0-9A-Fa-f:.]+") ? InetAddress.getByName("[" + host + "]") : null;
            }
            return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && validQuads(host) ? InetAddress.getByName(host) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean validQuads(String host) {
        for (String part : host.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
