package dev.switchboard.health.internal;

import dev.switchboard.api.ProxyProtocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Plain sockets that write a {@link ProbeProxyHeader} as their first bytes, right after they connect: given to
 * OkHttp ({@code OkHttpClient.Builder.socketFactory}) for the probes of servers whose traffic carries a PROXY
 * protocol header. OkHttp creates an unconnected socket here and connects it itself; an HTTPS probe then layers TLS
 * over the connected socket, so the header goes first and the ClientHello after it, as a real server behind
 * {@code accept-proxy} / {@code listen ... proxy_protocol} expects. Thread-safe; its sockets are not.
 *
 * <pre>{@code
 * OkHttpClient http = client.newBuilder().socketFactory(new ProxyHeaderSocketFactory(ProxyProtocol.V2)).build();
 * }</pre>
 */
final class ProxyHeaderSocketFactory extends SocketFactory {

    private final ProxyProtocol version;

    /** @throws IllegalArgumentException for {@link ProxyProtocol#NONE} */
    ProxyHeaderSocketFactory(ProxyProtocol version) {
        if (version == ProxyProtocol.NONE) {
            throw new IllegalArgumentException("proxyProtocol: none (expected: v1 or v2)");
        }
        this.version = version;
    }

    @Override
    public Socket createSocket() {
        return new HeaderFirstSocket(version);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        s.connect(new InetSocketAddress(address, port));
        return s;
    }

    private Socket connected(InetSocketAddress to) throws IOException {
        Socket s = createSocket();
        s.connect(to);
        return s;
    }

    /** A socket that sends the header once, as soon as it is connected. */
    private static final class HeaderFirstSocket extends Socket {
        private final ProxyProtocol version;

        HeaderFirstSocket(ProxyProtocol version) {
            this.version = version;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            super.connect(endpoint, timeout);
            try {
                byte[] header = ProbeProxyHeader.of(version, (InetSocketAddress) getLocalSocketAddress(),
                        (InetSocketAddress) getRemoteSocketAddress());
                getOutputStream().write(header);
                getOutputStream().flush();
            } catch (IOException | RuntimeException e) {
                close();
                throw e instanceof IOException io ? io : new IOException("PROXY protocol header not sent: " + e, e);
            }
        }
    }
}
