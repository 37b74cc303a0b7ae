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
 * The probed side of {@link HealthCheckerLoad}: listening ports served by one selector thread. A connection is
 * read once: when the peer sends a request it gets {@code 200} with an empty body and is closed; when it sends
 * nothing and closes (a TCP probe), it is closed. Not thread-safe apart from {@link #served()}.
 */
final class LoadResponder implements AutoCloseable {

    private static final ByteBuffer OK = ByteBuffer.wrap(
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    private final Selector selector;
    private final List<Integer> ports;
    private final Thread thread;
    private final AtomicLong served = new AtomicLong();
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
            System.out.printf("%.0f connections/s%n", (now - last) / 10.0);
            last = now;
        }
    }

    List<Integer> ports() {
        return ports;
    }

    long threadId() {
        return thread.getId();
    }

    long served() {
        return served.get();
    }

    private void loop() {
        try {
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        SocketChannel s;
                        while ((s = ((ServerSocketChannel) key.channel()).accept()) != null) {
                            s.configureBlocking(false);
                            s.register(selector, SelectionKey.OP_READ);
                            served.incrementAndGet();
                        }
                    } else if (key.isReadable()) {
                        answer((SocketChannel) key.channel());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed at the end of the run
        }
    }

    private void answer(SocketChannel s) throws IOException {
        in.clear();
        int n;
        try {
            n = s.read(in);
        } catch (IOException e) {
            n = -1; // reset by the peer
        }
        if (n > 0) {
            s.write(OK.duplicate());
        }
        s.close();
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
