package dev.switchboard.netty;

import dev.switchboard.netty.testing.RawBackend;
import dev.switchboard.netty.testing.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.netty.settings.Timeouts;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code timeouts.requestBodyMinRate} over {@code timeouts.requestBodyWindow} (here 1000 bytes/s over 500 ms): a body
 * slower than that is cut with 408 (a close when the response had started), counted, and the real server not
 * blamed; a slow body never holds a client for longer than a window or so, whatever the real server does; a body
 * above the rate passes; a real server's early answer is relayed while the body still comes.
 */
class HttpProxySlowBodyTest {

    private static ProxyFixture gateway(RawBackend server) {
        return ProxyFixture.start(VirtualService.builder("web").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("s1", server.address()))
                        .build()), b -> b.timeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofMillis(300),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(2), 1000,
                Duration.ofMillis(500))));
    }

    /** Sends {@code pieces} pieces of {@code size} bytes, one every {@code everyMillis}; stops when the gateway cuts. */
    private static Thread sendSlowly(RawClient c, int pieces, int size, long everyMillis) {
        Thread t = new Thread(() -> {
            byte[] piece = "x".repeat(size).getBytes();
            for (int i = 0; i < pieces; i++) {
                try {
                    c.send(piece);
                    Thread.sleep(everyMillis);
                } catch (RuntimeException | InterruptedException e) {
                    return; // cut, or the test is over
                }
            }
        }, "slow-body");
        t.start();
        return t;
    }

    /** Reads the request head, then the body until the gateway closes; the byte count of the body. */
    private static long drainAfterHead(InputStream in, AtomicLong bodyBytes) throws IOException {
        RawBackend.readHead(in);
        while (in.read() >= 0) {
            bodyBytes.incrementAndGet();
        }
        return bodyBytes.get();
    }

    @Test
    void slowBody_serverSilent_isCutWith408AfterAWindow_notHeldUntilTheBodyEnds() throws Exception {
        AtomicLong body = new AtomicLong();
        try (RawBackend server = new RawBackend(s -> drainAfterHead(s.getInputStream(), body));
                ProxyFixture g = gateway(server); RawClient c = RawClient.connect(g.port())) {
            c.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n");
            long t0 = System.nanoTime();
            Thread sender = sendSlowly(c, 200, 1, 50); // 20 bytes/s, would take 83 minutes
            String response = c.readResponse();
            long cutAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            sender.interrupt();
            sender.join(5000);
            assertThat(RawClient.status(response)).isEqualTo(408);
            assertThat(response).containsIgnoringCase("connection: close");
            // at least one window (500 ms) passed; far less than the 83 minutes the body would take (the upper
            // bound is loose on purpose: a loaded machine must not fail it)
            assertThat(cutAfter).as("ms until the cut").isBetween(450L, 30_000L);
            assertThat(c.closedByPeer()).isTrue();
            g.assertNoLeaseHeld();
            assertThat(g.failures("pool", "s1")).as("the real server is not to blame").isZero();
            assertThat(g.proxy.clientTimeouts().requestBodyTimeouts()).isEqualTo(1);
            assertThat(body.get()).isLessThan(100);
        }
    }

    @Test
    void bodyAboveTheRate_overSeveralWindows_passes() throws Exception {
        try (RawBackend server = new RawBackend(s -> {
            InputStream in = s.getInputStream();
            RawBackend.readHead(in);
            int n = in.readNBytes(6000).length;
            RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n" + n);
            in.read();
        }); ProxyFixture g = gateway(server); RawClient c = RawClient.connect(g.port())) {
            c.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 6000\r\n\r\n");
            Thread sender = sendSlowly(c, 20, 300, 100); // 3000 bytes/s for 2 s: four windows
            String response = c.readResponse();
            sender.join(5000);
            assertThat(RawClient.status(response)).isEqualTo(200);
            assertThat(response).endsWith("\r\n\r\n6000");
            g.assertNoLeaseHeld();
            assertThat(g.proxy.clientTimeouts().requestBodyTimeouts()).isZero();
        }
    }

    @Test
    void slowBody_serverAnswersEarly_theAnswerIsRelayed() throws Exception {
        try (RawBackend server = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 5\r\n\r\nearly");
            drainAfterHead(s.getInputStream(), new AtomicLong());
        }); ProxyFixture g = gateway(server); RawClient c = RawClient.connect(g.port())) {
            c.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n");
            Thread sender = sendSlowly(c, 200, 1, 50);
            String response = c.readResponse();
            sender.interrupt();
            sender.join(5000);
            assertThat(RawClient.status(response)).isEqualTo(413);
            assertThat(response).endsWith("early");
            assertThat(c.closedByPeer()).as("the body cannot be skipped: the connection closes").isTrue();
            g.assertNoLeaseHeld();
            assertThat(g.failures("pool", "s1")).isZero();
        }
    }

    @Test
    void slowBody_afterTheResponseHeadWasSent_theConnectionIsClosedWithout408() throws Exception {
        try (RawBackend server = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
            drainAfterHead(s.getInputStream(), new AtomicLong());
        }); ProxyFixture g = gateway(server); RawClient c = RawClient.connect(g.port())) {
            c.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n");
            Thread sender = sendSlowly(c, 200, 1, 50);
            String head = c.readHead();
            assertThat(RawClient.status(head)).isEqualTo(200);
            assertThat(c.readBody("5\r\nfirst\r\n".length())).isEqualTo("5\r\nfirst\r\n");
            // within the client's read timeout (5 s), half the 10 s the body would take
            assertThat(c.closedByPeer()).as("closed, no 408 after a 200 head").isTrue();
            sender.interrupt();
            sender.join(5000);
            g.assertNoLeaseHeld();
            assertThat(g.failures("pool", "s1")).isZero();
            assertThat(g.proxy.clientTimeouts().requestBodyTimeouts()).isEqualTo(1);
        }
    }

    @Test
    void bodyWaitingFor100Continue_theRateClockStartsWithTheContinue() throws Exception {
        try (RawBackend server = new RawBackend(s -> {
            InputStream in = s.getInputStream();
            RawBackend.readHead(in);
            try {
                Thread.sleep(1200); // a slow server: more than two windows before it asks for the body
            } catch (InterruptedException e) {
                return;
            }
            RawBackend.write(s, "HTTP/1.1 100 Continue\r\n\r\n");
            int n = in.readNBytes(10).length;
            RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" + n);
            in.read();
        }); ProxyFixture g = gateway(server); RawClient c = RawClient.connect(g.port())) {
            c.send("POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n");
            assertThat(RawClient.status(c.readHead())).isEqualTo(100);
            String response = c.send("0123456789").readResponse();
            assertThat(RawClient.status(response)).isEqualTo(200);
            assertThat(response).endsWith("10");
            assertThat(g.proxy.clientTimeouts().requestBodyTimeouts()).isZero();
        }
    }
}
