package dev.switchboard.netty;

import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawBackend;
import dev.switchboard.netty.testing.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class HttpProxyRetryTest {

    private static VirtualService.Builder service(String... addresses) {
        SubService.Builder pool = SubService.builder("pool").asDefault();
        for (int i = 0; i < addresses.length; i++) {
            pool.realServer(RealServer.of("s" + (i + 1), addresses[i]));
        }
        return VirtualService.builder("web").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .scheduling(SchedulingMethod.ROUND_ROBIN).subService(pool.build());
    }

    @Test
    void killedServer_getsGoToTheOther_andItsFailuresAreCounted() {
        Backend alive = Backend.echo("alive");
        Backend dead = Backend.echo("dead");
        String deadAddress = dead.address();
        dead.close();
        try (alive; ProxyFixture g = ProxyFixture.start(service(alive.address(), deadAddress))) {
            try (RawClient c = RawClient.connect(g.port())) {
                for (int i = 0; i < 8; i++) {
                    String response = c.send("GET /n" + i + " HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
                    assertThat(RawClient.status(response)).isEqualTo(200);
                    assertThat(response).endsWith("alive /n" + i);
                }
            }
            g.assertNoLeaseHeld();
            assertThat(g.failures("pool", "s2")).isGreaterThanOrEqualTo(1);
            assertThat(g.failures("pool", "s1")).isZero();
        }
    }

    /** Answers the first request of each connection, then closes when the next one arrives (a keep-alive race). */
    private static RawBackend closingAfterOneAnswer() {
        return new RawBackend(s -> {
            InputStream in = s.getInputStream();
            String head = RawBackend.readHead(in);
            int length = RawClient.contentLength(head);
            in.readNBytes(length);
            RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            RawBackend.readHead(in); // the next request: dropped unanswered
        });
    }

    @Test
    void stalePooledConnection_getIsRetriedOnAFreshOne() {
        try (RawBackend server = closingAfterOneAnswer(); ProxyFixture g = ProxyFixture.start(service(server.address()))) {
            try (RawClient c = RawClient.connect(g.port())) {
                for (int i = 0; i < 3; i++) {
                    String response = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
                    assertThat(RawClient.status(response)).isEqualTo(200);
                }
            }
            g.assertNoLeaseHeld();
            assertThat(server.connections.get()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void stalePooledConnection_postWhoseBytesMayHaveArrived_isNotRetried() {
        try (RawBackend server = closingAfterOneAnswer(); ProxyFixture g = ProxyFixture.start(service(server.address()))) {
            try (RawClient c = RawClient.connect(g.port())) {
                String first = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
                assertThat(RawClient.status(first)).isEqualTo(200);
                String post = c.send("POST /order HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc").readResponse();
                assertThat(RawClient.status(post)).isEqualTo(502);
            }
            g.assertNoLeaseHeld();
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(g.failures("pool", "s1")).isEqualTo(1);
            assertThat(retries(g)).as("not retried, not counted").isZero();
        }
    }

    @Test
    void everyServerDown_isA502_afterTheRetriesRunOut() {
        Backend a = Backend.echo("a");
        Backend b = Backend.echo("b");
        String addressA = a.address();
        String addressB = b.address();
        a.close();
        b.close();
        try (ProxyFixture g = ProxyFixture.start(service(addressA, addressB))) {
            try (RawClient c = RawClient.connect(g.port())) {
                String response = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
                assertThat(RawClient.status(response)).isEqualTo(502);
                assertThat(response).doesNotContainIgnoringCase("connection: close"); // the client may go on
            }
            g.assertNoLeaseHeld();
            // one attempt and two retries (Limits.DEFAULTS): three connect failures in all
            assertThat(g.failures("pool", "s1") + g.failures("pool", "s2")).isEqualTo(3);
            assertThat(retries(g)).as("the two retries, counted on the sub-service").isEqualTo(2);
        }
    }

    private static long retries(ProxyFixture g) {
        return g.engine.liveStats().virtualServices().get(0).subServices().get(0).retries();
    }
}
