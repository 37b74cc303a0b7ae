package dev.switchboard.netty;

import dev.switchboard.netty.testing.RawBackend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The response head a client gets, byte for byte: written straight from the real server's header lines when nothing
 * edits the response, fitted through the header table when a rule does; both carry the same lines.
 */
class ClientHeadTest {

    /** What the real server answers, by request path; "/close..." answers end with the connection. */
    private static final Map<String, String> ANSWERS = Map.of(
            "/plain", "HTTP/1.1 200 OK\r\nServer: nginx\r\nConnection: keep-alive, X-Hop\r\nX-Hop: secret\r\n"
                    + "Keep-Alive: timeout=5\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Latin: caf\u00e9\r\n"
                    + "Content-Length: 5\r\n\r\nhello",
            "/close-unframed", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close",
            "/chunked", "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
            "/nocontent", "HTTP/1.1 204 No Content\r\nX-Kept: yes\r\n\r\n",
            "/close-after-head", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n",
            "/notmodified", "HTTP/1.1 304 Not Modified\r\nETag: \"e1\"\r\n\r\n",
            "/own-reason", "HTTP/1.1 200 Fine Thanks\r\nContent-Length: 2\r\n\r\nok",
            "/unknown-code", "HTTP/1.1 299 Quite Unusual\r\nContent-Length: 2\r\n\r\nok");

    private final RawBackend backend = new RawBackend(ClientHeadTest::serve);
    private final List<ProxyFixture> gateways = new ArrayList<>();

    private static void serve(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        while (true) {
            String head = RawBackend.readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
            RawBackend.write(s, ANSWERS.get(path));
            if (path.startsWith("/close")) {
                return;
            }
        }
    }

    @AfterEach
    void stop() {
        gateways.forEach(ProxyFixture::close);
        backend.close();
    }

    private ProxyFixture gateway(boolean withResponseRule) {
        VirtualService.Builder vs = VirtualService.builder("mail").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault()
                        .realServer(RealServer.of("ex01", backend.address())).build());
        if (withResponseRule) {
            vs.responseRule(HeaderRule.setHeader("X-Rule", "1"));
        }
        ProxyFixture gateway = ProxyFixture.start(vs);
        gateways.add(gateway);
        return gateway;
    }

    /** The whole response as the client read it until the gateway closed or {@code expectedEnd} arrived. */
    private static String exchange(ProxyFixture gateway, String request, String expectedEnd) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            int b;
            while ((b = in.read()) >= 0) {
                got.write(b);
                if (got.toString(StandardCharsets.ISO_8859_1).endsWith(expectedEnd)) {
                    break;
                }
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static List<String> headLines(String response) {
        return Arrays.asList(response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n"));
    }

    private static List<String> both(String request, String expectedEnd) throws IOException {
        ClientHeadTest self = new ClientHeadTest();
        try {
            String plain = exchange(self.gateway(false), request, expectedEnd);
            String edited = exchange(self.gateway(true), request, expectedEnd);
            List<String> editedLines = new ArrayList<>(headLines(edited));
            assertThat(editedLines).contains("X-Rule: 1");
            editedLines.remove("X-Rule: 1");
            assertThat(editedLines).as("edited head").containsExactlyInAnyOrderElementsOf(headLines(plain));
            assertThat(edited.substring(edited.indexOf("\r\n\r\n")))
                    .isEqualTo(plain.substring(plain.indexOf("\r\n\r\n")));
            return List.of(plain, edited);
        } finally {
            self.stop();
        }
    }

    @Test
    void keepAliveResponse_passesItsLines_withoutHopByHop() throws IOException {
        String plain = both("GET /plain HTTP/1.1\r\nHost: h.test\r\n\r\n", "hello").get(0);

        assertThat(headLines(plain)).containsExactly("HTTP/1.1 200 OK", "Server: nginx", "Set-Cookie: a=1",
                "Set-Cookie: b=2", "X-Latin: caf\u00e9", "Content-Length: 5");
        assertThat(plain).endsWith("\r\n\r\nhello");
    }

    @Test
    void bodyUntilClose_isChunkedForAnHttp11Client() throws IOException {
        String plain = both("GET /close-unframed HTTP/1.1\r\nHost: h.test\r\n\r\n", "0\r\n\r\n").get(0);

        assertThat(headLines(plain)).containsExactly("HTTP/1.1 200 OK", "Content-Type: text/plain",
                "transfer-encoding: chunked");
        assertThat(plain).endsWith("\r\n\r\nb\r\nuntil close\r\n0\r\n\r\n");
    }

    @Test
    void bodyUntilClose_toAnHttp10Client_endsItsConnectionToo() throws IOException {
        String plain = both("GET /close-unframed HTTP/1.0\r\nHost: h.test\r\nConnection: keep-alive\r\n\r\n",
                "until close").get(0);

        assertThat(headLines(plain)).containsExactly("HTTP/1.1 200 OK", "Content-Type: text/plain",
                "connection: close");
    }

    @Test
    void chunkedBody_toAnHttp10Client_losesItsFraming() throws IOException {
        String plain = both("GET /chunked HTTP/1.0\r\nHost: h.test\r\n\r\n", "abcde").get(0);

        assertThat(headLines(plain)).containsExactly("HTTP/1.1 201 Created", "connection: close");
        assertThat(plain).endsWith("\r\n\r\nabcde");
    }

    @Test
    void chunkedBody_toAnHttp11Client_staysChunked_andAnHttp10KeepAliveClientHearsKeepAlive() throws IOException {
        String chunked = both("GET /chunked HTTP/1.1\r\nHost: h.test\r\n\r\n", "0\r\n\r\n").get(0);
        String noContent = both("GET /nocontent HTTP/1.0\r\nHost: h.test\r\nConnection: keep-alive\r\n\r\n",
                "\r\n\r\n").get(0);

        assertThat(headLines(chunked)).containsExactly("HTTP/1.1 201 Created", "Transfer-Encoding: chunked");
        assertThat(headLines(noContent)).containsExactly("HTTP/1.1 204 No Content", "X-Kept: yes",
                "connection: keep-alive");
    }

    @Test
    void wholeResponses_oneAfterAnother_onOneConnection_eachComeComplete() throws IOException {
        String three = exchange(gateway(false), "GET /plain HTTP/1.1\r\nHost: h.test\r\n\r\n"
                + "GET /notmodified HTTP/1.1\r\nHost: h.test\r\n\r\nGET /chunked HTTP/1.1\r\nHost: h.test\r\n\r\n",
                "0\r\n\r\n");

        assertThat(three).contains("Content-Length: 5\r\n\r\nhelloHTTP/1.1 304 Not Modified\r\nETag: \"e1\"\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        assertThat(three.split("HTTP/1.1 ", -1)).hasSize(4);
    }

    @Test
    void serverClosingAfterTheHead_theClientGetsTheHead_thenTheClose() throws IOException {
        String cut = exchange(gateway(false), "GET /close-after-head HTTP/1.1\r\nHost: h.test\r\n\r\n", "\u0000");

        assertThat(headLines(cut)).containsExactly("HTTP/1.1 200 OK", "Content-Length: 10");
        assertThat(cut).endsWith("\r\n\r\n");
    }

    @Test
    void statusLine_keepsTheServersOwnReason_andAnUnknownCodesReason() throws IOException {
        for (boolean edited : new boolean[] {false, true}) {
            ProxyFixture g = gateway(edited);
            assertThat(headLines(exchange(g, "GET /own-reason HTTP/1.1\r\nHost: h.test\r\n\r\n", "ok")))
                    .first().isEqualTo("HTTP/1.1 200 Fine Thanks");
            assertThat(headLines(exchange(g, "GET /unknown-code HTTP/1.1\r\nHost: h.test\r\n\r\n", "ok")))
                    .first().isEqualTo("HTTP/1.1 299 Quite Unusual");
        }
    }
}
