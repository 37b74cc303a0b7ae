package dev.switchboard.netty.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Many client connections that each send a request head one byte per interval, all on one thread with one selector:
 * it writes the next byte to every connection that has received nothing yet, and records when each connection's
 * first answer byte and its close arrived. Bounded: it stops when every connection is closed or at {@code limit}.
 */
public final class SlowHeads implements Runnable, AutoCloseable {

    private final SocketChannel[] channels;
    private final byte[] head;
    private final long intervalNanos;
    private final long limitNanos;
    private final Selector selector;
    public final long[] opened;
    public final long[] firstByte;
    public final long[] closed;
    public final StringBuilder[] received;
    private final int[] sent;

    public SlowHeads(int port, int count, String head, long intervalMillis, long limitMillis) {
        this.head = head.getBytes(StandardCharsets.ISO_8859_1);
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMillis);
        this.channels = new SocketChannel[count];
        this.opened = new long[count];
        this.firstByte = new long[count];
        this.closed = new long[count];
        this.received = new StringBuilder[count];
        this.sent = new int[count];
        try {
            selector = Selector.open();
            for (int i = 0; i < count; i++) {
                opened[i] = System.nanoTime();
                channels[i] = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channels[i].configureBlocking(false);
                channels[i].register(selector, SelectionKey.OP_READ, i);
                received[i] = new StringBuilder();
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void run() {
        long end = System.nanoTime() + limitNanos;
        long nextDrip = System.nanoTime();
        int open = channels.length;
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (open > 0 && System.nanoTime() < end) {
                if (System.nanoTime() >= nextDrip) {
                    for (int i = 0; i < channels.length; i++) {
                        drip(i);
                    }
                    nextDrip += intervalNanos;
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextDrip - System.nanoTime())));
                for (SelectionKey key : selector.selectedKeys()) {
                    int i = (Integer) key.attachment();
                    if (read(i, buf)) {
                        closed[i] = System.nanoTime();
                        key.cancel();
                        channels[i].close();
                        open--;
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next byte of the head, while the connection has had no answer and the head is not all out. */
    private void drip(int i) {
        if (closed[i] != 0 || firstByte[i] != 0 || sent[i] >= head.length) {
            return;
        }
        try {
            channels[i].write(ByteBuffer.wrap(head, sent[i], 1));
            sent[i]++;
        } catch (IOException e) {
            // reset by the gateway: the read side records it
        }
    }

    /** Reads what is there; whether the connection ended (closed or reset). */
    private boolean read(int i, ByteBuffer buf) {
        try {
            buf.clear();
            int n = channels[i].read(buf);
            if (n > 0) {
                if (firstByte[i] == 0) {
                    firstByte[i] = System.nanoTime();
                }
                received[i].append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
            }
            return n < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** How many bytes of the head connection {@code i} sent. */
    public int sent(int i) {
        return sent[i];
    }

    @Override
    public void close() {
        for (SocketChannel c : channels) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            if (selector != null) {
                selector.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
