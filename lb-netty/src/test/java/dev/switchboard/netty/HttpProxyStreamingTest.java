package dev.switchboard.netty;

import dev.switchboard.netty.testing.RawBackend;
import dev.switchboard.netty.testing.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * 224 MiB each way through the gateway. That the gateway holds no body in memory is shown on the wire: while the
 * receiving side pauses, the sending side gets stuck after a few MiB (the sockets' buffers), not after the body.
 */
class HttpProxyStreamingTest {

    private static final long SIZE = 224L << 20;
    private static final long IN_FLIGHT_BOUND = 32L << 20;
    private static final byte[] BLOCK = new byte[64 << 10];

    private static ProxyFixture gateway(RawBackend server) {
        return ProxyFixture.start(VirtualService.builder("web").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("s1", server.address()))
                        .build()));
    }

    /** Waits until {@code counter} has not moved for 300 ms (bounded by 10 s), returns its value. */
    private static long settled(LongSupplier counter) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = counter.getAsLong();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = counter.getAsLong();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(300)) {
                return now;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("still moving after 10 s: " + last);
    }

    private static void write(OutputStream out, long size, AtomicLong written) throws IOException {
        for (long sent = 0; sent < size; sent += BLOCK.length) {
            out.write(BLOCK, 0, (int) Math.min(BLOCK.length, size - sent));
            written.addAndGet(Math.min(BLOCK.length, size - sent));
        }
        out.flush();
    }

    private static long drain(InputStream in, long max) throws IOException {
        byte[] buf = new byte[256 << 10];
        long total = 0;
        while (total < max) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, max - total));
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    @Test
    void download_streamsWithBackPressure_andArrivesWhole() throws Exception {
        AtomicLong written = new AtomicLong();
        try (RawBackend server = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: " + SIZE + "\r\n\r\n");
            write(s.getOutputStream(), SIZE, written);
            s.getInputStream().read();
        }); ProxyFixture g = gateway(server); RawClient c = RawClient.connect(g.port())) {
            String head = c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n").readHead();
            assertThat(RawClient.contentLength(head)).isEqualTo((int) SIZE);
            InputStream in = c.socket.getInputStream();
            long read = drain(in, 1 << 20);
            long stuckAt = settled(written::get);
            assertThat(stuckAt - read).as("bytes between the paused client and the server").isLessThan(IN_FLIGHT_BOUND);
            read += drain(in, SIZE - read);
            assertThat(read).isEqualTo(SIZE);
            assertThat(written.get()).isEqualTo(SIZE);
            g.assertNoLeaseHeld();
            assertThat(g.engine.stats().findRealServer("web", "pool", "s1").orElseThrow().bytesOut()).isEqualTo(SIZE);
        }
    }

    @Test
    void upload_streamsWithBackPressure_andArrivesWhole() throws Exception {
        AtomicLong received = new AtomicLong();
        CountDownLatch resume = new CountDownLatch(1);
        try (RawBackend server = new RawBackend(s -> {
            InputStream in = s.getInputStream();
            RawBackend.readHead(in);
            received.addAndGet(drain(in, 1 << 20));
            try {
                resume.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            received.addAndGet(drain(in, SIZE - received.get()));
            RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: " + Long.toString(received.get()).length()
                    + "\r\n\r\n" + received.get());
            in.read();
        }); ProxyFixture g = gateway(server); RawClient c = RawClient.connect(g.port())) {
            AtomicLong sent = new AtomicLong();
            Thread uploader = new Thread(() -> {
                try {
                    c.send("POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: " + SIZE + "\r\n\r\n");
                    write(c.socket.getOutputStream(), SIZE, sent);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            uploader.start();
            long stuckAt = settled(sent::get);
            assertThat(stuckAt - received.get()).as("bytes between the client and the paused server")
                    .isLessThan(IN_FLIGHT_BOUND);
            resume.countDown();
            String response = c.readResponse();
            uploader.join(10_000);
            assertThat(RawClient.status(response)).isEqualTo(200);
            assertThat(response).endsWith("\r\n\r\n" + SIZE);
            g.assertNoLeaseHeld();
            assertThat(g.engine.stats().findRealServer("web", "pool", "s1").orElseThrow().bytesIn()).isEqualTo(SIZE);
        }
    }

    /**
     * Server-sent events and long polls: the head, and a first event that came with it, reach the client while
     * the server still holds the rest of the body (the gateway waits for no more body before flushing).
     */
    @Test
    void slowBody_headAndFirstPieceArriveWhileTheServerWaits() throws Exception {
        CountDownLatch headOnly = new CountDownLatch(1);
        CountDownLatch rest = new CountDownLatch(1);
        try (RawBackend server = new RawBackend(s -> {
            String head;
            while (!(head = RawBackend.readHead(s.getInputStream())).isEmpty()) {
                try {
                    if (head.startsWith("GET /head-only ")) {
                        RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n");
                        headOnly.await(20, TimeUnit.SECONDS);
                        RawBackend.write(s, "9\r\ndata: a\n\n\r\n0\r\n\r\n");
                    } else {
                        RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n9\r\ndata: a\n\n\r\n");
                        rest.await(20, TimeUnit.SECONDS);
                        RawBackend.write(s, "9\r\ndata: b\n\n\r\n0\r\n\r\n");
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }); ProxyFixture g = gateway(server); RawClient c = RawClient.connect(g.port())) {
            c.send("GET /head-only HTTP/1.1\r\nHost: a\r\n\r\n");
            String head = c.readHead(); // the client's read timeout (5 s) fails the test if the head is held back
            assertThat(RawClient.status(head)).isEqualTo(200);
            assertThat(headOnly.getCount()).as("the server still holds the body").isEqualTo(1);
            headOnly.countDown();
            assertThat(c.readBody("9\r\ndata: a\n\n\r\n0\r\n\r\n".length())).contains("data: a");

            c.send("GET /first-event HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(RawClient.status(c.readHead())).isEqualTo(200);
            assertThat(c.readBody("9\r\ndata: a\n\n\r\n".length())).contains("data: a");
            assertThat(rest.getCount()).as("the server still holds the rest").isEqualTo(1);
            rest.countDown();
            assertThat(c.readBody("9\r\ndata: b\n\n\r\n0\r\n\r\n".length())).contains("data: b");
            g.assertNoLeaseHeld();
        }
    }
}
