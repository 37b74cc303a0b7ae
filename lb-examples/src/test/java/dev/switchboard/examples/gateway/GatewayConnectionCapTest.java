package dev.switchboard.examples.gateway;

import dev.switchboard.api.testing.Eventually;

import dev.switchboard.netty.testing.RawClient;

import static dev.switchboard.examples.gateway.LimitsFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Protocol;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.Timeouts;
import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionBudget;
import dev.switchboard.netty.limit.ConnectionLimiter;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.SniCertificates;
import dev.switchboard.tls.testing.TestPki;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The gateway-wide connection cap (injected small here) and every way a connection ends giving its slots back:
 * a close by the client, a refusal, a TLS failure, the idle timeout, a refused client that never asks, the
 * gateway's stop, and many threads opening and closing at once.
 */
class GatewayConnectionCapTest {

    private static final Timeouts SHORT_IDLE = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(60),
            Duration.ofMillis(300), Duration.ofSeconds(30), Duration.ofSeconds(1));
    private static final Timeouts TLS_IDLE = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(60),
            Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(1));

    @Test
    void capReached_proxyListenerClosesAtAccept_adminStillAnswers() {
        try (LimitsFixture g = LimitsFixture.start(ConnectionBudget.of(2), b -> b)) {
            RawClient first = g.connectFrom("127.0.0.1");
            RawClient second = g.connectFrom("127.0.0.2");
            assertThat(get(first, "/a")).startsWith("HTTP/1.1 200");
            assertThat(get(second, "/b")).startsWith("HTTP/1.1 200");

            RawClient third = g.connectFrom("127.0.0.3");
            assertThat(third.closedByPeer()).as("closed at accept, without an answer").isTrue();

            JsonNode stats = g.stats(); // the admin listener is not counted: it answers at the cap
            assertThat(stats.path("gatewayConnections").path("open").asInt()).isEqualTo(2);
            assertThat(stats.path("gatewayConnections").path("cap").asInt()).isEqualTo(2);
            JsonNode web = stats.path("virtualServices").get(0);
            assertThat(web.path("refusedConnectionsBy").path("gatewayMaxConnections").asLong()).isEqualTo(1);
            assertThat(web.path("refusedConnections").asLong()).isEqualTo(1);

            assertThat(get(first, "/a2")).as("the open ones are still served").startsWith("HTTP/1.1 200");
            first.close();
            Eventually.until("the closed connection gives its slot back", Duration.ofSeconds(10), () -> g.budget().open() == 1);
            assertThat(get(g.connectFrom("127.0.0.3"), "/c")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void refusedConnections_holdAGatewaySlotUntilAnswered() {
        try (LimitsFixture g = LimitsFixture.start(ConnectionBudget.of(3),
                b -> b.limits(Limits.DEFAULTS.withConnectionLimits(1, 0)))) {
            RawClient served = g.connectFrom("127.0.0.1");
            assertThat(get(served, "/a")).startsWith("HTTP/1.1 200");
            RawClient waiting = g.connectFrom("127.0.0.2"); // refused by the service, not yet answered
            Eventually.until("the refused connection is held", Duration.ofSeconds(10), () -> g.budget().open() == 2);
            assertThat(g.limiter().open()).isEqualTo(1);
            assertThat(RawClient.status(get(waiting, "/b"))).isEqualTo(503);
            assertThat(waiting.closedByPeer()).isTrue();
            Eventually.until("the answered refusal gives its gateway slot back", Duration.ofSeconds(10), () -> g.budget().open() == 1);
        }
    }

    @Test
    void refusedClientThatSendsNothing_closedAfterTheWait_slotGivenBack() {
        try (LimitsFixture g = LimitsFixture.start(ConnectionBudget.of(10),
                b -> b.timeouts(SHORT_IDLE).limits(Limits.DEFAULTS.withConnectionLimits(0, 1)))) {
            RawClient served = g.connectFrom("127.0.0.1");
            g.hold(served); // in flight: not idle, it keeps the client's only slot
            RawClient silent = g.connectFrom("127.0.0.1");
            assertThat(silent.closedByPeer()).as("closed after the idle timeout, well within 5 s").isTrue();
            Eventually.until("its gateway slot given back", Duration.ofSeconds(10), () -> g.budget().open() == 1);
            g.releaseHeld();
            assertThat(RawClient.status(served.readResponse())).isEqualTo(200);
            assertThat(g.limiter().refused(Admission.REFUSED_CLIENT)).isEqualTo(1);
        }
    }

    @Test
    void idleTimeoutTlsFailureAndStop_endConnections_everySlotGivenBack() throws Exception {
        TestPki.Issued ca = TestPki.ca("Limits Test CA");
        TestPki.Issued leaf = TestPki.leaf(ca, "web.example.test");
        ServerTlsConfig tls = ServerTlsConfig.builder(SniCertificates.builder(leaf.tls()).build()).build();
        LimitsFixture g = LimitsFixture.start(ConnectionBudget.of(10), Protocol.HTTPS, b -> b.tls(tls)
                .timeouts(TLS_IDLE).limits(Limits.DEFAULTS.withConnectionLimits(0, 2)));
        try (g) {
            RawClient idle = g.connectFrom("127.0.0.1"); // no handshake at all: the handshake times out
            assertThat(idle.closedByPeer()).isTrue();
            RawClient garbage = g.connectFrom("127.0.0.1");
            garbage.send("GET / HTTP/1.1\r\nHost: web\r\n\r\n"); // plain text on a TLS port
            assertThat(garbage.closedByPeer()).isTrue();
            Eventually.until("both slots given back", Duration.ofSeconds(10), g::allReleased);

            List<RawClient> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SSLSocket s = (SSLSocket) TestPki.clientContext(ca, "TLS").getSocketFactory()
                        .createSocket("127.0.0.1", g.port());
                s.startHandshake();
                open.add(new RawClient(s));
            }
            assertThat(get(open.get(0), "/a")).startsWith("HTTP/1.1 200");
            assertThat(get(open.get(1), "/b")).startsWith("HTTP/1.1 200");
            String refused = get(open.get(2), "/c");
            assertThat(RawClient.status(refused)).as("refused over TLS: 429 after the handshake").isEqualTo(429);
            ConnectionLimiter limiter = g.limiter();
            assertThat(limiter.open()).isEqualTo(2);
            g.gateway.stop(Duration.ofMillis(200)).join();
            assertThat(g.budget().open()).as("the stop closed both open connections").isZero();
            assertThat(limiter.open()).isZero();
            assertThat(limiter.clientAddresses()).isZero();
            assertThat(g.budget().findLimiter("web")).as("a closed listener is no longer listed").isEmpty();
            open.forEach(RawClient::close);
        }
    }

    @Test
    void manyThreadsOpeningAndClosing_countsEndAtZero_refusalsMatchWhatClientsSaw() throws Exception {
        int threads = 8;
        int rounds = 40;
        try (LimitsFixture g = LimitsFixture.start(ConnectionBudget.of(12),
                b -> b.limits(Limits.DEFAULTS.withConnectionLimits(6, 2)))) {
            AtomicInteger served = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger closedAtAccept = new AtomicInteger();
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String from = "127.0.0." + (1 + t % 3);
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < rounds; i++) {
                            try (RawClient c = new RawClient(new Socket(InetAddress.getLoopbackAddress(), g.port(),
                                    InetAddress.getByName(from), 0))) {
                                String head = c.send("GET /r HTTP/1.1\r\nHost: web\r\n\r\n").readHead();
                                if (head.isEmpty()) {
                                    closedAtAccept.incrementAndGet();
                                } else if (RawClient.status(head) == 200) {
                                    served.incrementAndGet();
                                } else {
                                    assertThat(RawClient.status(head)).isIn(429, 503);
                                    refused.incrementAndGet();
                                }
                            } catch (UncheckedIOException e) {
                                closedAtAccept.incrementAndGet(); // reset before the request was written
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(served.get() + refused.get() + closedAtAccept.get()).isEqualTo(threads * rounds);
            assertThat(served).as("most connections are served").hasValueGreaterThan(threads * rounds / 4);
            Eventually.until("every slot given back", Duration.ofSeconds(10), g::allReleased);
            assertThat(g.limiter().refused(Admission.REFUSED_SERVICE) + g.limiter().refused(Admission.REFUSED_CLIENT))
                    .isEqualTo(refused.get());
            assertThat(g.limiter().refused(Admission.REFUSED_GATEWAY)).isEqualTo(closedAtAccept.get());
        }
    }
}
