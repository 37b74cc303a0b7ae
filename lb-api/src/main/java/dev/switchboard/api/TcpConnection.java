package dev.switchboard.api;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An immutable {@link ConnectionView}.
 *
 * @param sourceAddress the client's address
 * @param destinationPort the local port the client connected to
 * @param tlsServerName SNI, empty when unknown
 * @param tlsSessionId session ID in lower-case hex, empty when unknown
 */
public record TcpConnection(InetAddress sourceAddress, int destinationPort, String tlsServerName, String tlsSessionId)
        implements ConnectionView {

    public TcpConnection {
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(tlsServerName, "tlsServerName");
        Objects.requireNonNull(tlsSessionId, "tlsSessionId");
    }

    /** A connection with nothing known about TLS. */
    public static TcpConnection of(InetAddress sourceAddress, int destinationPort) {
        return new TcpConnection(sourceAddress, destinationPort, "", "");
    }
}
