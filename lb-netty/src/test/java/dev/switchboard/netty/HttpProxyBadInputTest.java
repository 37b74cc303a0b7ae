package dev.switchboard.netty;

import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawBackend;
import dev.switchboard.netty.testing.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.Timeouts;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class HttpProxyBadInputTest {

    private Backend backend;
    private ProxyFixture gateway;

    @BeforeEach
    void start() {
        backend = Backend.echo("web");
        gateway = ProxyFixture.start(service(backend.address()), b -> b.limits(new Limits(256, 1024, 8, 2)));
    }

    private static VirtualService.Builder service(String address) {
        return VirtualService.builder("web").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("s1", address)).build());
    }

    @AfterEach
    void stop() {
        gateway.assertNoLeaseHeld();
        gateway.close();
        backend.close();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
            Arguments.of("request line over the limit", 414, "GET /" + "a".repeat(400) + " HTTP/1.1\r\nHost: a\r\n\r\n"),
            Arguments.of("head over the limit", 431, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(2000)
                    + "\r\n\r\n"),
            Arguments.of("conflicting Content-Length", 400,
                    "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello"),
            Arguments.of("repeated Content-Length", 400,
                    "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
            Arguments.of("Content-Length and chunked", 400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            Arguments.of("unknown transfer coding", 400,
                    "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nxx"),
            Arguments.of("negative Content-Length", 400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"),
            Arguments.of("control character in a value", 400, "GET / HTTP/1.1\r\nHost: a\r\nX-Bad: a\u0001b\r\n\r\n"),
            Arguments.of("space in a header name", 400, "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n"),
            Arguments.of("no Host in HTTP/1.1", 400, "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
            Arguments.of("two Host headers", 400, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
            Arguments.of("garbage", 400, "\u0016\u0003\u0001\u0002\u0000garbage\r\n\r\n"),
            Arguments.of("bare LF line endings", 400, "GET / HTTP/1.1\nHost: a\n\n"),
            Arguments.of("unsupported version", 505, "GET / HTTP/7.3\r\nHost: a\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequest_isAnsweredWithItsStatus_andTheConnectionCloses(String what, int status, String request) {
        String wire = request;
        try (RawClient c = RawClient.connect(gateway.port())) {
            String response = c.send(wire).readResponse();
            assertThat(RawClient.status(response)).as(what).isEqualTo(status);
            assertThat(response).containsIgnoringCase("connection: close");
            assertThat(c.closedByPeer()).as("closed after " + what).isTrue();
        }
        assertThat(backend.server.getRequestCount()).isZero();
    }

    @Test
    void invalidChunkedFraming_afterTheHeadWasForwarded_isA400_andNothingLeaks() {
        try (RawClient c = RawClient.connect(gateway.port())) {
            String response = c.send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\nhello\r\n0\r\n\r\n").readResponse();
            assertThat(RawClient.status(response)).isIn(400, 200); // 200 only if the server answered first
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void pathTheEngineRejects_is400_andTheConnectionStaysUsable() {
        try (RawClient c = RawClient.connect(gateway.port())) {
            String bad = c.send("GET /a/%2F../b HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(RawClient.status(bad)).isEqualTo(400);
            String good = c.send("GET /fine HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(RawClient.status(good)).isEqualTo(200);
            assertThat(good).endsWith("web /fine");
        }
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() {
        try (RawClient c = RawClient.connect(gateway.port())) {
            c.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "HEAD /three HTTP/1.1\r\nHost: a\r\n\r\nGET /four HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse()).endsWith("web /one");
            assertThat(c.readResponse()).endsWith("web /two");
            String head = c.readHead();
            assertThat(RawClient.status(head)).isEqualTo(200);
            assertThat(head).containsIgnoringCase("content-length: 42"); // a HEAD answer announces a body it does not carry
            assertThat(c.readResponse()).endsWith("web /four");
        }
    }

    @Test
    void garbageAnsweringServer_is502_withAProtocolFailureOnItsLease() {
        try (RawBackend liar = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, "SMTP READY\r\n\r\n");
        }); ProxyFixture g = ProxyFixture.start(service(liar.address()))) {
            try (RawClient c = RawClient.connect(g.port())) {
                String response = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
                assertThat(RawClient.status(response)).isEqualTo(502);
            }
            g.assertNoLeaseHeld();
            assertThat(g.failures("pool", "s1")).isEqualTo(1);
        }
    }

    @Test
    void serverThatNeverAnswers_is504_afterTheFirstByteTimeout() {
        try (RawBackend silent = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            s.getInputStream().read(); // until the gateway gives up
        }); ProxyFixture g = ProxyFixture.start(service(silent.address()), b -> b.timeouts(new Timeouts(
                Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(1))))) {
            try (RawClient c = RawClient.connect(g.port())) {
                long t0 = System.nanoTime();
                String response = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
                assertThat(RawClient.status(response)).isEqualTo(504);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the first-byte timeout (300 ms) answered")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
            }
            g.assertNoLeaseHeld();
            assertThat(g.failures("pool", "s1")).isEqualTo(1);
        }
    }

    @Test
    void secondRequestOnAPooledConnection_stillTimesOut_afterTheDeadlineMovedOn() throws Exception {
        try (RawBackend once = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            RawBackend.readHead(s.getInputStream());
            s.getInputStream().read(); // the second request is never answered
        }); ProxyFixture g = ProxyFixture.start(service(once.address()), b -> b.timeouts(new Timeouts(
                Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(1))))) {
            try (RawClient c = RawClient.connect(g.port())) {
                assertThat(RawClient.status(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()))
                        .isEqualTo(200);
                Thread.sleep(150); // the connection's timer task is still pending, due before the next deadline
                long t0 = System.nanoTime();
                String response = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
                assertThat(RawClient.status(response)).isEqualTo(504);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the first-byte timeout (300 ms) answered")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
            }
            g.assertNoLeaseHeld();
            assertThat(g.failures("pool", "s1")).isEqualTo(1);
        }
    }
}
