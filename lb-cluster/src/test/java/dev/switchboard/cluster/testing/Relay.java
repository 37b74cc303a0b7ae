package dev.switchboard.cluster.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 (a port of its own) to a member's real port, standing for the network between members:
 * {@link #cut()} closes every relayed connection and refuses new ones (accepted and closed at once) until
 * {@link #heal()}. One daemon thread accepts, two pump each connection. Shared with lb-examples' tests through
 * lb-cluster's test-jar (a member started with {@code bind} = the real port and {@code member} = the relay's address,
 * whether in this JVM or in a gateway process of its own). Thread-safe.
 */
public final class Relay implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean cut;

    /**
     * A relay to 127.0.0.1:{@code targetPort}, accepting at once.
     *
     * @throws IOException when no port can be bound on 127.0.0.1
     */
    public Relay(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "relay-" + server.getLocalPort() + "-to-" + targetPort);
        t.setDaemon(true);
        t.start();
    }

    /** This relay's address, {@code 127.0.0.1:port}: where peers are told the member is. */
    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** This relay's port on 127.0.0.1. */
    public int port() {
        return server.getLocalPort();
    }

    /** Connections relayed so far. */
    public long relayed() {
        return relayed.get();
    }

    /** Connections refused while cut. */
    public long refused() {
        return refused.get();
    }

    /** Closes every relayed connection and refuses new ones. */
    public void cut() {
        cut = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    /** Relays new connections again. */
    public void heal() {
        cut = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                refused.incrementAndGet();
                closeQuietly(in);
                continue;
            }
            Socket out = new Socket();
            try {
                out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2_000);
            } catch (IOException e) {
                closeQuietly(in);
                closeQuietly(out);
                continue;
            }
            relayed.incrementAndGet();
            open.add(in);
            open.add(out);
            pump(in, out);
            pump(out, in);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                for (int n; (n = i.read(buf)) >= 0; ) {
                    o.write(buf, 0, n);
                }
            } catch (IOException e) {
                // a cut, or the other side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "relay-pump-" + from.getLocalPort() + "-" + from.getPort());
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        cut();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
