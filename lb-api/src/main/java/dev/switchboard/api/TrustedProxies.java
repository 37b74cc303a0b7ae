package dev.switchboard.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The peers whose forwarded headers are believed, and the client address they resolve to. When the TCP peer is
 * a trusted proxy, every line and every element of {@code X-Forwarded-For} (or, without it, the {@code for=}
 * parameters of {@code Forwarded}) is walked from the right, and the first address that is not a trusted proxy is
 * the client. The left-most hop is never believed just for being first: the client writes it, so a client behind
 * a trusted front balancer that appends its own line cannot forge its address. A hop that is not an IP literal
 * (garbage, {@code unknown}, an obfuscated identifier) ends the walk with no address. Literals are parsed without
 * name lookups.
 *
 * <p>Immutable and thread-safe. Example:
 * <pre>{@code
 * TrustedProxies proxies = TrustedProxies.of(List.of(Cidr.parse("10.0.0.0/8")));
 * InetAddress client = proxies.clientAddress(request);   // null: a trusted proxy's header cannot say
 * }</pre>
 */
public final class TrustedProxies {

    /** Nobody is trusted: the client is always the TCP peer. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    /** Headers longer than this are not walked (the request then has no client address). */
    public static final int MAX_HEADER = 8_192;

    /** Compiled once: {@link #literal} runs per forwarded hop on the request path. */
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern IPV4_QUADS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<Cidr> cidrs;

    private TrustedProxies(List<Cidr> cidrs) {
        this.cidrs = List.copyOf(cidrs);
    }

    /** The proxies in {@code cidrs}; {@link #NONE} when it is empty. */
    public static TrustedProxies of(List<Cidr> cidrs) {
        return cidrs.isEmpty() ? NONE : new TrustedProxies(cidrs);
    }

    /** The trusted ranges, in the order given. */
    public List<Cidr> cidrs() {
        return cidrs;
    }

    /** Whether nobody is trusted. */
    public boolean isEmpty() {
        return cidrs.isEmpty();
    }

    /** Whether {@code address} is a trusted proxy. */
    public boolean contains(InetAddress address) {
        for (int i = 0; i < cidrs.size(); i++) {
            if (cidrs.get(i).contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address: the TCP peer unless it is a trusted proxy; behind trusted proxies, the right-most
     * forwarded hop that is not one of them (the left-most hop when every hop is trusted). Returns {@code null}
     * when a trusted peer's forwarded headers cannot say (an unparseable hop, a header longer than
     * {@link #MAX_HEADER}, a header with no hop): such a request matches no {@code source} rule and has no
     * source-IP key. A trusted peer that sends no forwarded header at all is itself the client.
     */
    public InetAddress clientAddress(RequestView request) {
        InetAddress peer = request.sourceAddress();
        if (cidrs.isEmpty() || !contains(peer)) {
            return peer;
        }
        String xff = request.combinedHeader("x-forwarded-for");
        if (xff != null) {
            return walk(xff, false);
        }
        String forwarded = request.combinedHeader("forwarded");
        return forwarded == null ? peer : walk(forwarded, true);
    }

    private InetAddress walk(String header, boolean forwardedSyntax) {
        if (header.length() > MAX_HEADER) {
            return null;
        }
        InetAddress last = null; // a header with no hop at all says nothing
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
            if (!contains(address)) {
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

    /**
     * An IPv4 or IPv6 literal, optionally with a port ({@code 1.2.3.4:5}, {@code [::1]:5}), or null when
     * {@code value} is anything else. Never looks a name up.
     */
    public static InetAddress literal(String value) {
        String host = value;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0 || !isPort(host, close + 1)) {
                return null;
            }
            host = host.substring(1, close);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) {
            if (!isPort(host, host.indexOf(':'))) {
                return null;
            }
            host = host.substring(0, host.indexOf(':')); // IPv4 with a port
        }
        try {
            if (host.indexOf(':') >= 0) {
                return IPV6_CHARS.matcher(host).matches() ? InetAddress.getByName("[" + host + "]") : null;
            }
            return IPV4_QUADS.matcher(host).matches() && validQuads(host) ? InetAddress.getByName(host) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code value} ends at {@code from} or continues with {@code :} and 1 to 5 digits there. */
    private static boolean isPort(String value, int from) {
        if (from == value.length()) {
            return true;
        }
        int digits = value.length() - from - 1;
        if (value.charAt(from) != ':' || digits < 1 || digits > 5) {
            return false;
        }
        for (int i = from + 1; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean validQuads(String host) {
        for (String part : host.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedProxies t && t.cidrs.equals(cidrs);
    }

    @Override
    public int hashCode() {
        return cidrs.hashCode();
    }

    @Override
    public String toString() {
        return "TrustedProxies" + cidrs;
    }
}
