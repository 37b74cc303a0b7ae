package dev.switchboard.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * A TLS server on 127.0.0.1, port 0: per connection it asks {@code engines} for a server engine, handshakes, reads
 * one message and answers {@code pong <message>}, and records what it saw ({@link Seen}). Test code.
 */
final class TestServer implements AutoCloseable {

    /** What the server side saw of one connection; {@code failure} is set when the handshake failed. */
    record Seen(String sessionId, String requestedServerName, String applicationProtocol, String protocol,
            List<X509Certificate> clientCertificates, String message, Throwable failure) {
    }

    private final ServerSocket listener;
    private final Thread acceptor;
    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

    TestServer(Supplier<SSLEngine> engines) throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(() -> acceptLoop(engines), "test-tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** What the server saw of the next connection (waits up to 10 s). */
    Seen next() throws InterruptedException {
        Seen s = seen.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("the server saw no connection within 10 s");
        }
        return s;
    }

    private void acceptLoop(Supplier<SSLEngine> engines) {
        while (!listener.isClosed()) {
            try (Socket socket = listener.accept()) {
                serve(new EngineChannel(socket, engines.get()));
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(EngineChannel channel) {
        try {
            channel.handshake();
            byte[] message = channel.receive();
            channel.send(EngineChannel.bytes("pong " + EngineChannel.text(message)));
            seen.add(describe(channel.engine(), EngineChannel.text(message), null));
            channel.receive();   // wait for the client's close
        } catch (IOException | RuntimeException e) {
            seen.add(describe(channel.engine(), null, e));
        }
    }

    private static Seen describe(SSLEngine engine, String message, Throwable failure) {
        SSLSession session = engine.getSession();
        String sni = "";
        if (session instanceof ExtendedSSLSession) {
            for (SNIServerName n : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                if (n instanceof SNIHostName) {
                    sni = ((SNIHostName) n).getAsciiName();
                }
            }
        }
        List<X509Certificate> clientCertificates = List.of();
        try {
            clientCertificates = java.util.Arrays.stream(session.getPeerCertificates())
                    .map(c -> (X509Certificate) c).toList();
        } catch (IOException e) {
            // no client certificate
        }
        return new Seen(TlsSessions.sessionId(engine), sni, String.valueOf(engine.getApplicationProtocol()),
                session.getProtocol(), clientCertificates, message, failure);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
