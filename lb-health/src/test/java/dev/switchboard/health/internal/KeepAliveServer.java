package dev.switchboard.health.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP/1.1 server on 127.0.0.1 that answers several requests per connection as a script says, and
 * counts what went over the wire: accepted connections, requests, and connections the peer closed (end of stream
 * or reset while the server waited for the next request). One thread per connection.
 */
public final class KeepAliveServer implements AutoCloseable {

    /** What the server does with one request. */
    public enum Action {
        /** {@code 200} with {@code Content-Length: 2}, then waits for the next request. */
        ANSWER,
        /** {@code 200} with a chunked body and a trailer, then waits for the next request. */
        ANSWER_CHUNKED,
        /** An HTTP/1.0 {@code 200} with {@code Content-Length: 2}, then waits for the next request. */
        ANSWER_HTTP10,
        /** {@code 200} with {@code Content-Length: 2} and two bytes more, then waits for the next request. */
        ANSWER_TOO_LONG,
        /** {@code 200} with {@code Connection: close}, then closes. */
        ANSWER_CONNECTION_CLOSE,
        /** A keep-alive {@code 200}, then closes at once. */
        ANSWER_THEN_CLOSE,
        /** Closes without answering. */
        CLOSE_UNANSWERED,
        /** Resets ({@code SO_LINGER} 0) without answering. */
        RESET_UNANSWERED
    }

    /** The action for request {@code request} (from 0) on connection {@code connection} (from 0). */
    public interface Script {
        Action on(int connection, int request);
    }

    public static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final ServerSocket server;
    private final Script script;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Socket> closedHere = new CopyOnWriteArrayList<>();
    /** Accepted connections. */
    public final AtomicInteger connections = new AtomicInteger();
    /** Requests read, on all connections. */
    public final AtomicInteger requests = new AtomicInteger();
    /** Connections on which the peer closed or reset while the server waited for a request. */
    public final AtomicInteger closedByPeer = new AtomicInteger();
    /** Every request head read, in order. */
    public final List<String> heads = new CopyOnWriteArrayList<>();

    public KeepAliveServer(Script script) throws IOException {
        this.script = script;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "keep-alive-server");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Writes {@code text} on every open connection (to idle ones, between probes). */
    public void writeToOpenConnections(String text) throws IOException {
        for (Socket s : open) {
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    /** Closes every open connection (idle ones, between probes). */
    public void closeOpenConnections() throws IOException {
        for (Socket s : open) {
            closedHere.add(s);
            s.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                int index = connections.getAndIncrement();
                open.add(s);
                Thread t = new Thread(() -> serve(s, index), "keep-alive-connection-" + index);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, int connection) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int request = 0; ; request++) {
                String head = readHead(in);
                if (head == null) {
                    closedByPeer.incrementAndGet();
                    return;
                }
                heads.add(head);
                requests.incrementAndGet();
                switch (script.on(connection, request)) {
                    case ANSWER -> out.write(bytes(OK));
                    case ANSWER_CHUNKED -> out.write(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "2\r\nok\r\n0\r\nX-Trailer: 1\r\n\r\n"));
                    case ANSWER_HTTP10 -> out.write(bytes("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"));
                    case ANSWER_TOO_LONG -> out.write(bytes(OK + "!!"));
                    case ANSWER_CONNECTION_CLOSE -> {
                        out.write(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"));
                        return;
                    }
                    case ANSWER_THEN_CLOSE -> {
                        out.write(bytes(OK));
                        return;
                    }
                    case CLOSE_UNANSWERED -> {
                        return;
                    }
                    case RESET_UNANSWERED -> {
                        s.setSoLinger(true, 0);
                        return;
                    }
                }
                out.flush();
            }
        } catch (IOException e) {
            if (!closedHere.contains(s)) {
                closedByPeer.incrementAndGet(); // reset by the probe
            }
        } finally {
            open.remove(s);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The request head up to its blank line, or null when the stream ends before it. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return matched < 4 ? null : head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        closeOpenConnections();
    }
}
