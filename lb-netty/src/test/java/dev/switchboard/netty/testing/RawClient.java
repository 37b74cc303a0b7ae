package dev.switchboard.netty.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A client that writes bytes as given (for bad input) and reads responses byte by byte. */
public final class RawClient implements AutoCloseable {

    public final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(Socket socket) {
        try {
            this.socket = socket;
            socket.setSoTimeout(5000);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RawClient connect(int port) {
        try {
            return new RawClient(new Socket("127.0.0.1", port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawClient send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next response head, up to and including the blank line; "" when the connection closed first. */
    public String readHead() {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    public static int status(String head) {
        if (!head.startsWith("HTTP/1.1 ")) {
            throw new AssertionError("not a response head: " + head);
        }
        return Integer.parseInt(head.substring(9, 12));
    }

    public static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    public String readBody(int length) {
        try {
            return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a whole response with a Content-Length body; returns the head and the body. */
    public String readResponse() {
        String head = readHead();
        return head + readBody(contentLength(head));
    }

    /** Whether nothing arrives within {@code millis} (the connection stays open and silent). */
    public boolean silentFor(int millis) {
        try {
            socket.setSoTimeout(millis);
            int b = in.read();
            throw new AssertionError(b < 0 ? "connection closed" : "unexpected byte " + (char) b);
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                socket.setSoTimeout(5000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Whether the peer closed the connection (end of stream or reset) within the read timeout. */
    public boolean closedByPeer() {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
