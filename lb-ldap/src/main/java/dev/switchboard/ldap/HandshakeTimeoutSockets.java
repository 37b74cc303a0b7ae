package dev.switchboard.ldap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * The ldaps:// socket factory: the TLS provider's, with a read timeout set on every socket before its handshake.
 * UnboundID hands a socket back once TCP is connected and lets the handshake finish later; without a read timeout, a
 * server that accepts and never answers would hold the handshake (and the thread waiting on it) forever. Operations
 * set their own timeouts afterwards. Thread-safe.
 */
final class HandshakeTimeoutSockets extends SocketFactory {

    private final SocketFactory tls;
    private final int timeoutMillis;

    HandshakeTimeoutSockets(SocketFactory tls, int timeoutMillis) {
        this.tls = tls;
        this.timeoutMillis = timeoutMillis;
    }

    private Socket bounded(Socket socket) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        return socket;
    }

    @Override
    public Socket createSocket() throws IOException {
        return bounded(tls.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return bounded(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return bounded(tls.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return bounded(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return bounded(tls.createSocket(address, port, localAddress, localPort));
    }
}
