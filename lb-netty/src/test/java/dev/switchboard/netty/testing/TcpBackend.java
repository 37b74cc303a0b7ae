package dev.switchboard.netty.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A real server for the TCP proxy tests, on 127.0.0.1 and an ephemeral port, one thread per connection: it echoes
 * what it reads and half-closes when the client does. A banner server speaks first ({@code name\n}); a TLS server
 * completes the handshake, then writes {@code name sessionIdHex\n} before echoing.
 */
public final class TcpBackend implements AutoCloseable {

    private final String name;
    private final ServerSocket listener;
    private final boolean banner;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-backend");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger accepted = new AtomicInteger();

    private TcpBackend(String name, ServerSocket listener, boolean banner) {
        this.name = name;
        this.listener = listener;
        this.banner = banner;
        threads.execute(this::acceptLoop);
    }

    public static TcpBackend echo(String name) throws IOException {
        return new TcpBackend(name, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), false);
    }

    public static TcpBackend banner(String name) throws IOException {
        return new TcpBackend(name, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), true);
    }

    /** A TLS server offering TLS 1.2 only, so that sessions are resumed by session ID. */
    public static TcpBackend tls(String name, SSLContext context) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        return new TcpBackend(name, socket, true);
    }

    public String name() {
        return name;
    }

    public String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                accepted.incrementAndGet();
                threads.execute(() -> serve(s));
            } catch (IOException | RuntimeException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            if (s instanceof SSLSocket tls) {
                tls.startHandshake();
                out.write((name + " " + hex(tls.getSession().getId()) + "\n").getBytes(StandardCharsets.US_ASCII));
            } else if (banner) {
                out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16384];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                out.flush();
            }
            if (!(s instanceof SSLSocket)) {
                s.shutdownOutput();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away or sent garbage: that connection ends, the server keeps serving
        }
    }

    /**
     * The client side of a {@link #tls} backend's greeting: a TLS 1.2 handshake on {@code s} with {@code sni}, then
     * the backend's first line split in two, its name and the session ID it sees (hex). The caller keeps {@code s}
     * open (to talk on) and closes it.
     *
     * @throws IllegalStateException when the backend sees another session than the client ended up with
     */
    public static String[] tlsGreeting(SSLSocket s, String sni) throws IOException {
        SSLParameters params = s.getSSLParameters();
        params.setProtocols(new String[] {"TLSv1.2"});
        params.setServerNames(List.of(new SNIHostName(sni)));
        s.setSSLParameters(params);
        s.startHandshake();
        String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        String[] parts = line == null ? new String[] {"nothing", ""} : line.split(" ");
        String session = hex(s.getSession().getId());
        if (parts.length < 2 || !parts[1].equals(session)) {
            throw new IllegalStateException("the server sees session " + line + ", the client has " + session);
        }
        return parts;
    }

    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
