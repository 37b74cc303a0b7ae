package dev.switchboard.netty;

import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.netty.testing.SlowHeads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.netty.settings.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code timeouts.requestHead}: a request head that dribbles in is cut at its deadline with 408 and a close, counted,
 * while other clients are served as usual; the clock runs from the accept for a connection's first request and from
 * the first byte for a later one, so waiting between requests is the idle timeout's business only.
 */
class HttpProxySlowHeadTest {

    private static final String HEAD = "GET /slow HTTP/1.1\r\nHost: a\r\nUser-Agent: slowloris\r\n\r\n";

    private Backend backend;

    @BeforeEach
    void startBackend() {
        backend = Backend.echo("web");
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    private ProxyFixture gateway(Duration requestHead) {
        return ProxyFixture.start(VirtualService.builder("web").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("s1", backend.address()))
                        .build()), b -> b.timeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1), requestHead, 500,
                Duration.ofSeconds(20))));
    }

    @Test
    void slowHeads_200Connections_cutAtTheDeadlineWith408_whileOtherClientsAreServedWithoutDelay() throws Exception {
        int count = 200;
        try (ProxyFixture g = gateway(Duration.ofSeconds(1));
                SlowHeads slow = new SlowHeads(g.port(), count, HEAD, 500, 8000)) {
            Thread dripper = new Thread(slow, "slow-heads");
            dripper.start();
            List<Long> latencies = new ArrayList<>();
            List<Long> servedAt = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500); // across the moment of the cut
            for (int i = 0; i < 100 && System.nanoTime() < until; i++) {
                long t0 = System.nanoTime();
                try (RawClient c = RawClient.connect(g.port())) {
                    String response = c.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
                    assertThat(RawClient.status(response)).isEqualTo(200);
                }
                servedAt.add(System.nanoTime());
                latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                Thread.sleep(20); // a client every 20 ms, not a load test
            }
            dripper.join(10_000);
            assertThat(dripper.isAlive()).isFalse();

            for (int i = 0; i < count; i++) {
                assertThat(slow.received[i].toString()).as("connection %d", i).startsWith("HTTP/1.1 408 ")
                        .containsIgnoringCase("connection: close");
                assertThat(slow.closed[i]).as("connection %d closed", i).isPositive();
                long cutAfter = TimeUnit.NANOSECONDS.toMillis(slow.firstByte[i] - slow.opened[i]);
                assertThat(cutAfter).as("connection %d cut after (ms)", i).isGreaterThanOrEqualTo(950L);
                assertThat(slow.sent(i)).as("cut before the head was complete").isLessThan(HEAD.length());
            }
            assertThat(g.proxy.clientTimeouts().requestHeadTimeouts()).isEqualTo(count);
            Collections.sort(latencies);
            assertThat(latencies).as("latencies of the other clients (ms)").hasSizeGreaterThan(10);
            long firstCut = Arrays.stream(slow.firstByte).min().orElseThrow();
            assertThat(servedAt.stream().filter(t -> t < firstCut).count())
                    .as("other clients served while every slow head was still pending (latencies " + latencies + ")")
                    .isGreaterThanOrEqualTo(3);
            assertThat(backend.server.getRequestCount()).as("only the other clients' requests").isEqualTo(
                    latencies.size());
        }
    }

    @Test
    void silentConnection_closedAtTheDeadline_withoutAnAnswer() {
        try (ProxyFixture g = gateway(Duration.ofMillis(500)); RawClient c = RawClient.connect(g.port())) {
            long t0 = System.nanoTime();
            assertThat(c.readHead()).as("no answer, a close").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
            assertThat(g.proxy.clientTimeouts().requestHeadTimeouts()).isEqualTo(1);
        }
    }

    @Test
    void keepAliveConnection_waitingLongerThanTheDeadlineBetweenRequests_isServed() throws Exception {
        try (ProxyFixture g = gateway(Duration.ofMillis(300)); RawClient c = RawClient.connect(g.port())) {
            assertThat(RawClient.status(c.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()))
                    .isEqualTo(200);
            Thread.sleep(800); // the client thinks between requests: the idle timeout (10 s) applies, not the head's
            String second = c.send("GET /two HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(RawClient.status(second)).isEqualTo(200);
            assertThat(second).endsWith("web /two");
            assertThat(g.proxy.clientTimeouts().requestHeadTimeouts()).isZero();
        }
    }

    @Test
    void laterRequest_dribblingItsHead_isCutCountingFromItsFirstByte() throws Exception {
        try (ProxyFixture g = gateway(Duration.ofMillis(400)); RawClient c = RawClient.connect(g.port())) {
            assertThat(RawClient.status(c.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()))
                    .isEqualTo(200);
            Thread.sleep(700); // longer than the deadline: a clock started at the last response would be over
            long firstByte = System.nanoTime();
            Thread writer = new Thread(() -> {
                for (int i = 0; i < HEAD.length(); i++) {
                    try {
                        c.send(HEAD.substring(i, i + 1));
                        Thread.sleep(100);
                    } catch (RuntimeException | InterruptedException e) {
                        return; // cut
                    }
                }
            });
            writer.start();
            String response = c.readResponse();
            long cutAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstByte);
            writer.interrupt();
            writer.join(5000);
            assertThat(RawClient.status(response)).isEqualTo(408);
            assertThat(cutAfter).as("ms from the first byte to the 408").isGreaterThanOrEqualTo(350L);
            assertThat(c.closedByPeer()).isTrue();
            assertThat(g.proxy.clientTimeouts().requestHeadTimeouts()).isEqualTo(1);
            assertThat(backend.server.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void headInManyPieces_withinTheDeadline_isServed() throws Exception {
        try (ProxyFixture g = gateway(Duration.ofSeconds(2)); RawClient c = RawClient.connect(g.port())) {
            for (int i = 0; i < HEAD.length(); i += 8) {
                c.send(HEAD.substring(i, Math.min(HEAD.length(), i + 8)));
                Thread.sleep(10); // pieces in separate reads
            }
            String response = c.readResponse();
            assertThat(RawClient.status(response)).isEqualTo(200);
            assertThat(response).endsWith("web /slow");
            assertThat(g.proxy.clientTimeouts().requestHeadTimeouts()).isZero();
        }
    }
}
