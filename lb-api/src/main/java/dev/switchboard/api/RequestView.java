package dev.switchboard.api;

import java.net.InetAddress;

/**
 * What the engine needs to know of one HTTP request, filled in by the host. Implement it over your own request
 * object to avoid copying headers, or use {@link HttpRequest}. The engine calls these methods only on the thread
 * that called dispatch, and only during that call.
 */
public interface RequestView {

    /** The method, e.g. {@code GET}. */
    String method();

    /** {@code http} or {@code https}, as the client spoke to the host. */
    String scheme();

    /** The {@code Host} header or {@code :authority}, as received (may include a port); empty when absent. */
    String authority();

    /** The path of the request target as received, without the query; not decoded. */
    String rawPath();

    /** The query string without {@code ?}; empty when there is none. */
    String query();

    /**
     * The first value of the header named {@code name} (compared ignoring case; the engine always asks with
     * lower-case names, so a host may keep its table in lower case and skip folding), or {@code null} when the request
     * has no such header. This lookup is the one place the API uses null, so a host can answer from its own header
     * table without allocating.
     */
    String header(String name);

    /**
     * Every line of the header named {@code name}, joined in the order received with {@code ", "} (RFC 9110
     * section 5.3: a list-valued field sent as several lines means the same as one line), or {@code null} when the
     * request has no such header. The engine asks for it only for list headers where a later line matters
     * ({@code x-forwarded-for}, {@code forwarded}). The default answers {@link #header}, which is right only for a
     * host that already joins repeated lines: a host whose table keeps them apart must override it, or a client's
     * forged first line would hide the line a trusted proxy appended.
     */
    default String combinedHeader(String name) {
        return header(name);
    }

    /** The client's address as the host saw it (the TCP peer). */
    InetAddress sourceAddress();

    /** The TLS server name (SNI) the client sent, empty when unknown or not TLS. */
    default String tlsServerName() {
        return "";
    }

    /** The TLS session ID in lower-case hex, empty when unknown or not TLS. */
    default String tlsSessionId() {
        return "";
    }
}
