package dev.switchboard.api;

import java.net.InetAddress;

/**
 * What the engine needs to know of one TCP connection (layer 4), filled in by the host. See {@link TcpConnection}
 * for a ready-made implementation.
 */
public interface ConnectionView {

    /** The client's address. */
    InetAddress sourceAddress();

    /** The local port the client connected to. */
    int destinationPort();

    /** The SNI sniffed from a passed-through ClientHello, empty when unknown. */
    default String tlsServerName() {
        return "";
    }

    /** The TLS session ID (lower-case hex) sniffed from a passed-through hello, empty when unknown. */
    default String tlsSessionId() {
        return "";
    }
}
