package dev.switchboard.netty;

import dev.switchboard.netty.testing.RawBackend;
import dev.switchboard.netty.testing.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request framing as the real server sees it, byte for byte: every {@code Transfer-Encoding} variant is either
 * refused with 400 before anything reaches the real server, or forwarded as the gateway parsed it (one request,
 * {@code Transfer-Encoding: chunked} exactly, the body re-framed). And a response header line without a colon is a
 * 502 with a PROTOCOL failure, not a header.
 */
class HttpProxyFramingTest {

    private static final String BODY = "5\r\nhello\r\n0\r\n\r\n";
    /** What a refused request carries after its body: a second request that must never reach a real server. */
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

    /** Everything each backend connection received, added when the gateway closes that connection. */
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    /** Answers one request (head and chunked body) with 200, then records the connection's bytes when it ends. */
    private void serveOne(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        String head = RawBackend.readHead(in);
        all.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        if (!head.isEmpty()) {
            String body = readUntil(in, "0\r\n\r\n");
            all.writeBytes(body.getBytes(StandardCharsets.ISO_8859_1));
            RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            all.writeBytes(in.readAllBytes()); // until the gateway closes its pooled connection
        }
        received.add(all.toString(StandardCharsets.ISO_8859_1));
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while (!sb.toString().endsWith(end) && (b = in.read()) >= 0) {
            sb.append((char) b);
        }
        return sb.toString();
    }

    private static VirtualService.Builder service(String address) {
        return VirtualService.builder("web").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("s1", address)).build());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("identity, chunked", "Transfer-Encoding: identity, chunked\r\n"),
                Arguments.of("gzip, chunked", "Transfer-Encoding: gzip, chunked\r\n"),
                Arguments.of("chunked, chunked", "Transfer-Encoding: chunked, chunked\r\n"),
                Arguments.of("chunked, identity", "Transfer-Encoding: chunked, identity\r\n"),
                Arguments.of("identity alone", "Transfer-Encoding: identity\r\n"),
                Arguments.of("chunked with a parameter", "Transfer-Encoding: chunked;x=1\r\n"),
                Arguments.of("an empty list element", "Transfer-Encoding: chunked,\r\n"),
                Arguments.of("a leading empty element", "Transfer-Encoding: , chunked\r\n"),
                Arguments.of("two lines of chunked", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
                Arguments.of("identity, then chunked on a second line",
                        "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n"),
                Arguments.of("gzip, then chunked on a second line",
                        "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"),
                Arguments.of("chunked and Content-Length", "Transfer-Encoding: chunked\r\nContent-Length: 15\r\n"),
                Arguments.of("Content-Length first, then chunked",
                        "Content-Length: 15\r\nTransfer-Encoding: chunked\r\n"),
                Arguments.of("identity, chunked and Content-Length",
                        "Transfer-Encoding: identity, chunked\r\nContent-Length: 15\r\n"),
                Arguments.of("space before the colon", "Transfer-Encoding : chunked\r\n"),
                Arguments.of("obs-fold before the value", "Transfer-Encoding:\r\n chunked\r\n"),
                Arguments.of("obs-fold adding a coding", "Transfer-Encoding: identity\r\n chunked\r\n"),
                Arguments.of("obs-fold with a tab adding a coding", "Transfer-Encoding: gzip,\r\n\tchunked\r\n"),
                Arguments.of("a vertical tab around chunked", "Transfer-Encoding: \u000bchunked\r\n"),
                Arguments.of("chunked in a different spelling", "Transfer-Encoding: chunk\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void transferEncoding_notExactlyChunked_is400_andNothingReachesTheServer(String what, String framing) {
        try (RawBackend backend = new RawBackend(this::serveOne); ProxyFixture g = ProxyFixture.start(
                service(backend.address())); RawClient c = RawClient.connect(g.port())) {
            String response = c.send("POST /up HTTP/1.1\r\nHost: a\r\n" + framing + "\r\n" + BODY + SMUGGLED)
                    .readResponse();
            assertThat(RawClient.status(response)).as(what).isEqualTo(400);
            assertThat(response).containsIgnoringCase("connection: close");
            assertThat(c.closedByPeer()).isTrue();
            g.assertNoLeaseHeld();
            assertThat(backend.connections.get()).as("connections to the real server").isZero();
        }
    }

    @Test
    void transferEncodingChunked_overHttp10_is400() {
        try (RawBackend backend = new RawBackend(this::serveOne); ProxyFixture g = ProxyFixture.start(
                service(backend.address())); RawClient c = RawClient.connect(g.port())) {
            String response = c.send("POST /up HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + BODY)
                    .readResponse();
            assertThat(RawClient.status(response)).isEqualTo(400);
            assertThat(backend.connections.get()).isZero();
        }
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("chunked", "Transfer-Encoding: chunked\r\n"),
                Arguments.of("Chunked", "Transfer-Encoding: Chunked\r\n"),
                Arguments.of("CHUNKED", "Transfer-Encoding: CHUNKED\r\n"),
                Arguments.of("spaces around", "Transfer-Encoding:   chunked   \r\n"),
                Arguments.of("tabs around", "Transfer-Encoding:\tchunked\t\r\n"),
                Arguments.of("lower-case name", "transfer-encoding: chunked\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void transferEncoding_exactlyChunked_isForwardedAsParsed_oneRequestReframed(String what, String framing)
            throws Exception {
        String seen;
        try (RawBackend backend = new RawBackend(this::serveOne)) {
            try (ProxyFixture g = ProxyFixture.start(service(backend.address()));
                    RawClient c = RawClient.connect(g.port())) {
                String response = c.send("POST /up HTTP/1.1\r\nHost: a\r\n" + framing + "\r\n" + BODY).readResponse();
                assertThat(RawClient.status(response)).as(what).isEqualTo(200);
                g.assertNoLeaseHeld();
            } // closing the gateway closes its pooled connection: the backend has seen all it will ever see
            seen = received.poll(5, TimeUnit.SECONDS);
            assertThat(backend.connections.get()).isEqualTo(1);
        }
        assertThat(seen).as("what the real server received").isNotNull();
        assertWellFramedChunked(seen);
    }

    @Test
    void transferEncodingChunked_withAHeaderRule_isStillFramedByTheGateway() throws Exception {
        String seen;
        try (RawBackend backend = new RawBackend(this::serveOne)) {
            VirtualService.Builder vs = service(backend.address())
                    .requestRule(HeaderRule.setHeader("X-Rule", "1"))
                    .requestRule(HeaderRule.setHeader("Transfer-Encoding", "identity"))
                    .requestRule(HeaderRule.setHeader("Content-Length", "3"));
            try (ProxyFixture g = ProxyFixture.start(vs); RawClient c = RawClient.connect(g.port())) {
                String response = c.send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n" + BODY)
                        .readResponse();
                assertThat(RawClient.status(response)).isEqualTo(200);
            }
            seen = received.poll(5, TimeUnit.SECONDS);
        }
        assertThat(seen).isNotNull().contains("X-Rule: 1\r\n");
        assertWellFramedChunked(seen);
    }

    /** One request head with exactly one {@code Transfer-Encoding: chunked} line, no length, then the body alone. */
    private static void assertWellFramedChunked(String seen) {
        int end = seen.indexOf("\r\n\r\n") + 4;
        String head = seen.substring(0, end);
        assertThat(head).startsWith("POST /up HTTP/1.1\r\n");
        assertThat(head.lines().filter(l -> l.regionMatches(true, 0, "transfer-encoding", 0, 17)))
                .containsExactly("Transfer-Encoding: chunked");
        assertThat(head.toLowerCase()).doesNotContain("content-length");
        assertThat(seen.substring(end)).as("after the head: the body and nothing else").isEqualTo(BODY);
    }

    @Test
    void responseHeaderLineWithoutColon_is502_withAProtocolFailure() {
        assertBadResponseHead("HTTP/1.1 200 OK\r\nBad Header Line\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void responseHeaderNameFollowedByWhitespace_is502() {
        assertBadResponseHead("HTTP/1.1 200 OK\r\nX-Thing : value\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void responseHeaderLineWithoutColon_afterAGoodOne_is502() {
        assertBadResponseHead("HTTP/1.1 200 OK\r\nX-Good: yes\r\nBad Header: Line\r\nContent-Length: 2\r\n\r\nok");
    }

    private static void assertBadResponseHead(String answer) {
        try (RawBackend liar = new RawBackend(s -> {
            RawBackend.readHead(s.getInputStream());
            RawBackend.write(s, answer);
            s.getInputStream().read();
        }); ProxyFixture g = ProxyFixture.start(service(liar.address())); RawClient c = RawClient.connect(g.port())) {
            String response = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(RawClient.status(response)).isEqualTo(502);
            assertThat(response).doesNotContain("Bad:").doesNotContain("X-Thing");
            g.assertNoLeaseHeld();
            assertThat(g.failures("pool", "s1")).isEqualTo(1);
        }
    }
}
