package dev.switchboard.api;

import java.util.Objects;

/**
 * A {@code host:port} pair as written in a configuration; never resolved here. IPv6 literals are written in
 * brackets: {@code [2001:db8::1]:443}.
 *
 * <pre>{@code Address a = Address.parse("10.0.0.11:443");}</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param host a host name or an IP literal (IPv6 without brackets)
 * @param port 1..65535, or 0 for "any free port" where something listens (a virtual service bound by a host for
 *             tests); real servers and sorry servers need a real port ({@link #requireConcretePort})
 */
public record Address(String host, int port) {

    public Address {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host: empty (expected: a host name or an IP literal)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535, or 0 for any free port)");
        }
    }

    /**
     * This address, if its port is a real one.
     *
     * @param what the field named in the exception, e.g. {@code "realServers[0].address"}
     * @throws IllegalArgumentException when the port is 0 ("any free port" means nothing for a destination)
     */
    public Address requireConcretePort(String what) {
        if (port == 0) {
            throw new IllegalArgumentException(what + ": " + this + " (expected: a port 1..65535)");
        }
        return this;
    }

    /** Creates an address. */
    public static Address of(String host, int port) {
        return new Address(host, port);
    }

    /**
     * Parses {@code host:port} or {@code [v6]:port}.
     *
     * @throws IllegalArgumentException naming the value when it is not of that shape
     */
    public static Address parse(String value) {
        Objects.requireNonNull(value, "value");
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                throw bad(value);
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || value.indexOf(':') != colon) {
                throw bad(value);
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        if (host.isEmpty() || port.isEmpty() || port.length() > 5 || !Cidr.isAsciiDigits(port)) {
            throw bad(value);
        }
        return new Address(host, Integer.parseInt(port));
    }

    private static IllegalArgumentException bad(String value) {
        return new IllegalArgumentException("address: " + value + " (expected: host:port or [ipv6]:port)");
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
