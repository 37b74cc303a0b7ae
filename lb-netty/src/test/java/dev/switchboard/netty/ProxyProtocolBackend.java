package dev.switchboard.netty;

import dev.switchboard.netty.testing.RawBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket real server that reads an optional PROXY protocol header (v1 line or v2 block) off each connection
 * as bytes, then either echoes (tcp) or answers HTTP/1.1 requests with {@code conn=<n>} on a keep-alive connection
 * (http). Records every connection's header bytes and request heads.
 */
final class ProxyProtocolBackend implements AutoCloseable {

    /** One accepted connection: its number, the header bytes it opened with (empty: none), its request heads. */
    record Connection(int number, byte[] header, List<String> requests) {
        String headerText() {
            return new String(header, StandardCharsets.ISO_8859_1);
        }
    }

    final List<Connection> connections = new CopyOnWriteArrayList<>();
    final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger numbers = new AtomicInteger();
    private final RawBackend server;

    private ProxyProtocolBackend(boolean http) {
        server = new RawBackend(s -> serve(s, http));
    }

    static ProxyProtocolBackend http() {
        return new ProxyProtocolBackend(true);
    }

    static ProxyProtocolBackend echo() {
        return new ProxyProtocolBackend(false);
    }

    String address() {
        return server.address();
    }

    private void serve(Socket s, boolean http) throws IOException {
        open.incrementAndGet();
        try {
            PushbackInputStream in = new PushbackInputStream(s.getInputStream(), 1);
            Connection c = new Connection(numbers.incrementAndGet(), header(in), new CopyOnWriteArrayList<>());
            connections.add(c);
            if (http) {
                answer(c, in, s.getOutputStream());
            } else {
                in.transferTo(s.getOutputStream());
            }
        } finally {
            open.decrementAndGet();
        }
    }

    private static void answer(Connection c, InputStream in, OutputStream out) throws IOException {
        while (true) {
            String head = RawBackend.readHead(in);
            if (!head.endsWith("\r\n\r\n")) {
                return;
            }
            c.requests().add(head);
            String body = "conn=" + c.number();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    /** The v1 line through CRLF, or the v2 signature, fixed part and address block; empty when neither starts. */
    private static byte[] header(PushbackInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return new byte[0];
        }
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(first);
        if (first == 'P') {
            int b;
            while ((b = in.read()) >= 0 && header.size() < 108) {
                header.write(b);
                if (b == '\n') {
                    break;
                }
            }
        } else if (first == 0x0D) {
            header.write(in.readNBytes(15));
            byte[] fixed = header.toByteArray();
            int length = (fixed[14] & 0xff) << 8 | fixed[15] & 0xff;
            header.write(in.readNBytes(length));
        } else {
            in.unread(first);
            return new byte[0];
        }
        return header.toByteArray();
    }

    @Override
    public void close() {
        server.close();
    }
}
