package dev.switchboard.benchmarks.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The probed side of {@link HealthCheckerLoad}: listening ports served by one selector thread. Each request head
 * (up to its empty line) gets {@code 200} with {@code Content-Length: 0}; a request that says
 * {@code Connection: close} gets the same answer with {@code Connection: close} and the connection is closed, any
 * other leaves it open for the next request (HTTP/1.1 keep-alive, as a probe that reuses its connection expects).
 * A connection the peer closes or resets (a TCP probe, an HTTP probe that does not reuse it) is closed. An I/O error
 * on one connection closes that connection only. The {@code Connection: close} header is looked for within each read
 * (a probe's request head arrives in one). Not thread-safe apart from {@link #served()} and {@link #accepted()}.
 */
final class LoadResponder implements AutoCloseable {

    private static final ByteBuffer OK = ByteBuffer.wrap(
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    private static final ByteBuffer OK_CLOSE = ByteBuffer.wrap(
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] END = {'\r', '\n', '\r', '\n'};
    private static final byte[] CLOSE = "connection: close".getBytes(StandardCharsets.US_ASCII);

    private final Selector selector;
    private final List<Integer> ports;
    private final Thread thread;
    private volatile boolean closing;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final ByteBuffer in = ByteBuffer.allocate(4096);

    private LoadResponder(InetAddress bind, int basePort, int count) throws IOException {
        selector = Selector.open();
        List<Integer> bound = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ServerSocketChannel ch = ServerSocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(bind, basePort == 0 ? 0 : basePort + i), 4096);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_ACCEPT);
            bound.add(((InetSocketAddress) ch.getLocalAddress()).getPort());
        }
        ports = List.copyOf(bound);
        thread = new Thread(this::loop, "load-responder");
        thread.setDaemon(true);
    }

    static LoadResponder start(InetAddress bind, int basePort, int count) throws IOException {
        LoadResponder r = new LoadResponder(bind, basePort, count);
        r.thread.start();
        return r;
    }

    /** Serves in the calling thread until the process is killed, printing the rate every 10 s. */
    static void serve(InetAddress bind, int basePort, int count) throws Exception {
        LoadResponder r = start(bind, basePort, count);
        System.out.println("serving " + bind + " ports " + r.ports.get(0) + ".." + r.ports.get(count - 1));
        long last = 0;
        while (true) {
            Thread.sleep(10_000);
            long now = r.served();
            System.out.printf("%.0f probes/s%n", (now - last) / 10.0);
            last = now;
        }
    }

    List<Integer> ports() {
        return ports;
    }

    long threadId() {
        return thread.getId();
    }

    /** Probes served: HTTP requests answered plus connections closed without a request (TCP probes). */
    long served() {
        return served.get();
    }

    /** Connections accepted. */
    long accepted() {
        return accepted.get();
    }

    private void loop() {
        try {
            while (!closing) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isAcceptable()) {
                            accept((ServerSocketChannel) key.channel());
                        } else if (key.isReadable()) {
                            answer(key);
                        }
                    } catch (IOException | RuntimeException e) {
                        close(key.channel()); // this connection only
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed at the end of the run
        } finally {
            for (SelectionKey key : selector.keys()) {
                close(key.channel());
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // the run is over
            }
        }
    }

    private void accept(ServerSocketChannel server) throws IOException {
        SocketChannel s;
        while ((s = server.accept()) != null) {
            accepted.incrementAndGet();
            try {
                s.configureBlocking(false);
                s.register(selector, SelectionKey.OP_READ, new int[] {0, 0}); // bytes of END matched, requests
            } catch (IOException e) {
                close(s);
            }
        }
    }

    /** Answers every complete request head read; closes on the end of the stream, a reset or Connection: close. */
    private void answer(SelectionKey key) throws IOException {
        SocketChannel s = (SocketChannel) key.channel();
        int[] state = (int[]) key.attachment();
        in.clear();
        int n;
        try {
            n = s.read(in);
        } catch (IOException e) {
            n = -1; // reset by the peer
        }
        if (n < 0) {
            if (state[1] == 0) {
                served.incrementAndGet(); // a TCP probe: connected, then closed
            }
            s.close();
            return;
        }
        boolean close = contains(in.array(), n, CLOSE);
        for (int i = 0; i < n; i++) {
            byte b = in.get(i);
            state[0] = b == END[state[0]] ? state[0] + 1 : b == '\r' ? 1 : 0;
            if (state[0] == END.length) {
                state[0] = 0;
                state[1]++;
                served.incrementAndGet();
                ByteBuffer answer = (close ? OK_CLOSE : OK).duplicate();
                s.write(answer);
                if (close || answer.hasRemaining()) {
                    s.close(); // asked to, or the peer does not read: a benchmark does not queue answers
                    return;
                }
            }
        }
    }

    private static boolean contains(byte[] data, int length, byte[] lowerCase) {
        outer:
        for (int i = 0; i + lowerCase.length <= length; i++) {
            for (int j = 0; j < lowerCase.length; j++) {
                if (Character.toLowerCase(data[i + j]) != lowerCase[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void close(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to do with this connection
        }
    }

    @Override
    /** Stops the loop, which then closes the selector and every socket. */
    public void close() throws InterruptedException {
        closing = true;
        selector.wakeup();
        thread.join(2_000);
    }
}
