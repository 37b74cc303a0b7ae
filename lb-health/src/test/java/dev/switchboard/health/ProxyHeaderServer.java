package dev.switchboard.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real server on 127.0.0.1 that, like nginx's {@code listen ... proxy_protocol} or HAProxy's {@code accept-proxy},
 * requires a valid PROXY protocol header before anything else on every connection, and closes a connection that
 * does not start with one. Valid means, for version 1, exactly {@code PROXY TCP4 <peer> <this server> <peer port>
 * <server port>\r\n} as the socket sees its two ends, and for version 2, exactly the 16-byte {@code LOCAL} header.
 * After the header it serves, per {@link Mode}: HTTP/1.1 with keep-alive (every request answered 200 {@code ok}),
 * the same over TLS (the handshake after the header), an agent line, or nothing (reads until the peer closes).
 * Records every header it received and what it refused.
 */
final class ProxyHeaderServer implements AutoCloseable {

    enum Mode { HTTP, HTTPS, AGENT, TCP }

    static final byte[] V2_LOCAL = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a20000000");

    /** One connection's header and its two ends as the server's socket saw them. */
    record Received(byte[] header, String peerHost, int peerPort, String localHost, int localPort) {
        String text() {
            return new String(header, StandardCharsets.US_ASCII);
        }

        /** The version 1 line this connection must carry. */
        String expectedV1() {
            return "PROXY TCP4 " + peerHost + " " + localHost + " " + peerPort + " " + localPort + "\r\n";
        }
    }

    private final ServerSocket server;
    private final Mode mode;
    private final Optional<SSLContext> tls;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    final List<Received> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();

    ProxyHeaderServer(Mode mode, Optional<SSLContext> tls) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.mode = mode;
        this.tls = tls;
        Thread t = new Thread(this::acceptLoop, "test-proxy-header-server");
        t.setDaemon(true);
        t.start();
    }

    static ProxyHeaderServer http() throws IOException {
        return new ProxyHeaderServer(Mode.HTTP, Optional.empty());
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "test-proxy-header-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            byte[] header = readHeader(in);
            Received r = new Received(header == null ? new byte[0] : header, s.getInetAddress().getHostAddress(),
                    s.getPort(), s.getLocalAddress().getHostAddress(), s.getLocalPort());
            if (header == null || !valid(r)) {
                refused.incrementAndGet();
                return; // closed: what a server that requires the header does
            }
            accepted.add(r);
            switch (mode) {
                case HTTP -> serveHttp(in, s.getOutputStream());
                case HTTPS -> {
                    SSLSocket ssl = (SSLSocket) tls.orElseThrow().getSocketFactory().createSocket(s, null, true);
                    ssl.setUseClientMode(false);
                    serveHttp(ssl.getInputStream(), ssl.getOutputStream());
                }
                case AGENT -> s.getOutputStream().write("up 50%\n".getBytes(StandardCharsets.US_ASCII));
                case TCP -> in.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            // the prober closed or reset: the next connection is served
        }
    }

    private static boolean valid(Received r) {
        return r.header()[0] == 'P' ? r.text().equals(r.expectedV1()) : Arrays.equals(r.header(), V2_LOCAL);
    }

    /** A v1 line (up to 107 bytes, CRLF), or a v2 header (16 bytes plus its length); null when neither starts. */
    private static byte[] readHeader(InputStream in) throws IOException {
        int first = in.read();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (first == 'P') {
            b.write(first);
            for (int c = in.read(); c >= 0 && b.size() < 107; c = in.read()) {
                b.write(c);
                if (c == '\n') {
                    return b.toByteArray();
                }
            }
            return null;
        }
        if (first != 0x0D) {
            return null;
        }
        byte[] fixed = new byte[16];
        fixed[0] = (byte) first;
        if (in.readNBytes(fixed, 1, 15) != 15) {
            return null;
        }
        int length = ((fixed[14] & 0xff) << 8) | (fixed[15] & 0xff);
        byte[] rest = in.readNBytes(length);
        b.write(fixed);
        b.write(rest);
        return rest.length == length ? b.toByteArray() : null;
    }

    /** Answers each request head with 200 {@code ok}, keeping the connection, until the peer closes. */
    private void serveHttp(InputStream in, OutputStream out) throws IOException {
        while (readHead(in)) {
            requests.incrementAndGet();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    /** Reads one request head; false at the end of the stream, or when it does not start like a request. */
    private static boolean readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return matched == 4 && (text.startsWith("GET ") || text.startsWith("HEAD ") || text.startsWith("POST "));
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
