package dev.switchboard.netty;

import dev.switchboard.netty.testing.RawBackend;
import dev.switchboard.netty.testing.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Cidr;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import dev.switchboard.netty.settings.ListenerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request head a real server gets, byte for byte: written straight from the client's header lines when no rule
 * edits the request, built as a header table when one does; both must carry the same header lines.
 */
class UpstreamHeadTest {

    private static final String REQUEST = "GET /owa/x?y=1 HTTP/1.1\r\n"
            + "Host: mail.example.test\r\n"
            + "Accept: text/html\r\n"
            + "Connection: keep-alive, X-Hop\r\n"
            + "X-Hop: secret\r\n"
            + "Keep-Alive: timeout=5\r\n"
            + "TE: trailers\r\n"
            + "Proxy-Connection: keep-alive\r\n"
            + "Upgrade: h2c\r\n"
            + "Cookie: a=1\r\n"
            + "Cookie: b=2\r\n"
            + "X-Forwarded-For: 6.6.6.6\r\n"
            + "x-forwarded-proto: https\r\n"
            + "X-Latin: caf\u00e9\r\n"
            + "Expect: 100-continue\r\n"
            + "\r\n";

    /** Heads the backend received, in order; it answers each with an empty 200 and keeps the connection. */
    private final BlockingQueue<String> heads = new LinkedBlockingQueue<>();
    private final RawBackend backend = new RawBackend(this::serve);
    private final List<ProxyFixture> gateways = new ArrayList<>();

    private void serve(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        while (true) {
            String head = RawBackend.readHead(in);
            if (head.isEmpty()) {
                return;
            }
            heads.add(head);
            int length = RawClient.contentLength(head);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                heads.add(readChunked(in));
            } else if (length > 0) {
                heads.add(new String(in.readNBytes(length), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            if (head.startsWith("HEAD ")) {
                RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"); // and no body: HEAD
            } else {
                RawBackend.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        }
    }

    private static String readChunked(InputStream in) throws IOException {
        StringBuilder raw = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            raw.append((char) b);
            if (raw.length() >= 5 && raw.substring(raw.length() - 5).equals("0\r\n\r\n")) {
                break;
            }
        }
        return raw.toString();
    }

    @AfterEach
    void stop() {
        gateways.forEach(ProxyFixture::close);
        backend.close();
    }

    private ProxyFixture gateway(boolean withRequestRule, UnaryOperator<ListenerSettings.Builder> settings) {
        VirtualService.Builder vs = VirtualService.builder("mail").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault()
                        .realServer(RealServer.of("ex01", backend.address())).build());
        if (withRequestRule) {
            vs.requestRule(HeaderRule.setHeader("X-Rule", "1"));
        }
        ProxyFixture gateway = ProxyFixture.start(vs, settings);
        gateways.add(gateway);
        return gateway;
    }

    private String forward(ProxyFixture gateway, String request) throws InterruptedException {
        try (RawClient client = RawClient.connect(gateway.port())) {
            String response = client.send(request).readResponse();
            assertThat(RawClient.status(response)).isEqualTo(200);
        }
        String head = heads.poll(5, TimeUnit.SECONDS);
        assertThat(head).isNotNull();
        return head;
    }

    private static List<String> lines(String head) {
        return Arrays.asList(head.split("\r\n"));
    }

    @Test
    void withoutEdits_theClientsLinesPassAsTheyCame_hostFirst_hopByHopGone() throws InterruptedException {
        String head = forward(gateway(false, b -> b), REQUEST);

        assertThat(lines(head)).containsExactly(
                "GET /owa/x?y=1 HTTP/1.1",
                "Host: mail.example.test",
                "Accept: text/html",
                "Cookie: a=1",
                "Cookie: b=2",
                "X-Latin: caf\u00e9",
                "X-Forwarded-For: 127.0.0.1",
                "X-Forwarded-Proto: http",
                "X-Forwarded-Host: mail.example.test",
                "Forwarded: for=127.0.0.1;host=\"mail.example.test\";proto=http");
        assertThat(head).endsWith("\r\n\r\n");
    }

    @Test
    void withAndWithoutEdits_theRealServerGetsTheSameHeaders() throws InterruptedException {
        List<String> plain = new ArrayList<>(lines(forward(gateway(false, b -> b), REQUEST)));
        List<String> edited = new ArrayList<>(lines(forward(gateway(true, b -> b), REQUEST)));

        assertThat(edited).contains("X-Rule: 1");
        edited.remove("X-Rule: 1");
        assertThat(edited).containsExactlyInAnyOrderElementsOf(plain);
    }

    @Test
    void trustedProxy_keepsItsProtoAndHost_andIsAppendedTo_onBothPaths() throws InterruptedException {
        UnaryOperator<ListenerSettings.Builder> trusting = b -> b.trustedProxies(List.of(Cidr.parse("127.0.0.0/8")));
        String request = "GET /t HTTP/1.1\r\nHost: edge.test\r\nX-Forwarded-For: 203.0.113.7\r\n"
                + "X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.test\r\n"
                + "Forwarded: for=203.0.113.7\r\n\r\n";
        for (boolean edits : new boolean[] {false, true}) {
            List<String> seen = lines(forward(gateway(edits, trusting), request));
            assertThat(seen).contains("X-Forwarded-For: 203.0.113.7, 198.51.100.1, 127.0.0.1",
                    "X-Forwarded-Proto: https", "X-Forwarded-Host: shop.test",
                    "Forwarded: for=203.0.113.7, for=127.0.0.1;host=\"edge.test\";proto=http");
            assertThat(seen.stream().filter(l -> l.startsWith("X-Forwarded-Proto")).count()).isEqualTo(1);
            assertThat(seen.stream().filter(l -> l.startsWith("X-Forwarded-For")).count()).isEqualTo(1);
        }
    }

    @Test
    void oneKeepAliveConnection_askingForTwoHosts_getsEachItsOwnForwardedHost() throws InterruptedException {
        ProxyFixture gateway = gateway(false, b -> b);
        try (RawClient client = RawClient.connect(gateway.port())) {
            for (String host : new String[] {"a.test", "a.test", "b.test", "a.test"}) {
                String response = client.send("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").readResponse();
                assertThat(RawClient.status(response)).isEqualTo(200);
                assertThat(lines(heads.poll(5, TimeUnit.SECONDS))).contains("X-Forwarded-Host: " + host,
                        "Forwarded: for=127.0.0.1;host=\"" + host + "\";proto=http");
            }
        }
    }

    @Test
    void ruleValuesThatCannotGoOnTheWire_areRefused_andNeverReachTheRealServer() throws InterruptedException {
        for (HeaderRule rule : new HeaderRule[] {HeaderRule.rewriteHost("^.*$", "h\u010Ast"),
            HeaderRule.setHeader("X-Bad", "a\u010Ab")}) {
            ProxyFixture gateway = ProxyFixture.start(VirtualService.builder("mail").listen("127.0.0.1:8080")
                    .protocol(Protocol.HTTP).requestRule(rule).subService(SubService.builder("pool").asDefault()
                            .realServer(RealServer.of("ex01", backend.address())).build()), b -> b);
            gateways.add(gateway);
            try (RawClient client = RawClient.connect(gateway.port())) {
                String response = client.send("GET / HTTP/1.1\r\nHost: h.test\r\n\r\n").readResponse();
                // the engine refuses a rewritten host it cannot use (400); the gateway refuses a header value (500)
                assertThat(RawClient.status(response)).as("%s", rule).isIn(400, 500);
            }
            gateway.assertNoLeaseHeld();
        }
        assertThat(heads.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aResponseRuleValueThatCannotGoOnTheWire_is500() {
        ProxyFixture gateway = ProxyFixture.start(VirtualService.builder("mail").listen("127.0.0.1:8080")
                .protocol(Protocol.HTTP).responseRule(HeaderRule.setHeader("X-Bad", "a\u010Ab"))
                .subService(SubService.builder("pool").asDefault()
                        .realServer(RealServer.of("ex01", backend.address())).build()), b -> b);
        gateways.add(gateway);
        try (RawClient client = RawClient.connect(gateway.port())) {
            String response = client.send("GET / HTTP/1.1\r\nHost: h.test\r\n\r\n").readResponse();
            assertThat(RawClient.status(response)).isEqualTo(500);
            assertThat(response).doesNotContain("X-Bad");
        }
        gateway.assertNoLeaseHeld();
    }

    @Test
    void forwardedHeadersOff_passTheClientsOwn() throws InterruptedException {
        List<String> seen = lines(forward(gateway(false, b -> b.forwardedHeaders(false)), REQUEST));

        assertThat(seen).contains("X-Forwarded-For: 6.6.6.6", "x-forwarded-proto: https");
        assertThat(seen).noneMatch(l -> l.startsWith("Forwarded:") || l.startsWith("X-Forwarded-Host"));
    }

    @Test
    void chunkedBody_keepsItsFraming_andExpectGoesWithIt() throws InterruptedException {
        ProxyFixture gateway = gateway(false, b -> b);
        String head;
        try (RawClient client = RawClient.connect(gateway.port())) {
            client.send("POST /up HTTP/1.1\r\nHost: h.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            assertThat(RawClient.status(client.readResponse())).isEqualTo(200);
        }
        head = heads.poll(5, TimeUnit.SECONDS);
        String body = heads.poll(5, TimeUnit.SECONDS);

        assertThat(lines(head)).containsOnlyOnce("Transfer-Encoding: chunked");
        assertThat(head).doesNotContain("Content-Length");
        assertThat(body).isEqualTo("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    }

    @Test
    void headResponse_hasNoBody_andThePooledConnectionCarriesTheNextRequest() throws InterruptedException {
        ProxyFixture gateway = gateway(false, b -> b);
        try (RawClient client = RawClient.connect(gateway.port())) {
            String head = client.send("HEAD /h HTTP/1.1\r\nHost: h.test\r\n\r\n").readHead();
            assertThat(RawClient.status(head)).isEqualTo(200);
            assertThat(RawClient.contentLength(head)).isEqualTo(100);
            String next = client.send("GET /g HTTP/1.1\r\nHost: h.test\r\n\r\n").readResponse();
            assertThat(RawClient.status(next)).isEqualTo(200);
            assertThat(next).endsWith("\r\n\r\nok");
        }
        assertThat(heads.poll(5, TimeUnit.SECONDS)).startsWith("HEAD /h HTTP/1.1\r\n");
        assertThat(heads.poll(5, TimeUnit.SECONDS)).startsWith("GET /g HTTP/1.1\r\n");
        assertThat(backend.connections.get()).isEqualTo(1);
    }
}
