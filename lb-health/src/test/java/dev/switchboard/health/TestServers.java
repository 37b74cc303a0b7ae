package dev.switchboard.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Plain socket servers on 127.0.0.1 that misbehave on purpose. */
final class TestServers {

    private TestServers() {
    }

    /** A port on which nothing listens (bound, then closed). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Accepts connections and, depending on the mode, never answers or closes in the middle of a response. */
    static final class Misbehaving implements AutoCloseable {
        enum Mode { HANG, CLOSE_MID_RESPONSE, GARBAGE, ACCEPT_ONLY }

        private final ServerSocket server;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final Thread thread;

        Misbehaving(Mode mode) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> loop(mode), "test-server-" + mode);
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void loop(Mode mode) {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    if (mode == Mode.CLOSE_MID_RESPONSE) {
                        readHead(s.getInputStream());
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhal".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        s.close();
                    } else if (mode == Mode.GARBAGE) {
                        readHead(s.getInputStream());
                        s.getOutputStream().write("\u0000\u0007 not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        s.close();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void readHead(InputStream in) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            int b;
            while (matched < 4 && (b = in.read()) >= 0) {
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
