package dev.switchboard.netty;

import dev.switchboard.netty.testing.RawBackend;
import dev.switchboard.netty.testing.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.netty.settings.ExpectContinue;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpProxyExpectContinueTest {

    private static final String HEAD = "PUT /upload HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n";

    /** A real server that records each request head, optionally sends 100 Continue, reads the body, echoes it. */
    private static RawBackend server(boolean sendsContinue, LinkedBlockingQueue<String> heads) {
        return new RawBackend(s -> {
            InputStream in = s.getInputStream();
            String head = RawBackend.readHead(in);
            heads.add(head);
            if (sendsContinue) {
                RawBackend.write(s, "HTTP/1.1 100 Continue\r\n\r\n");
            }
            String body = new String(in.readNBytes(RawClient.contentLength(head)), StandardCharsets.ISO_8859_1);
            RawBackend.write(s, "HTTP/1.1 201 Created\r\nContent-Length: " + (4 + body.length()) + "\r\n\r\ngot:" + body);
            in.read();
        });
    }

    private static ProxyFixture gateway(RawBackend server, ExpectContinue mode) {
        return ProxyFixture.start(VirtualService.builder("web").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("s1", server.address()))
                        .build()), b -> b.expectContinue(mode));
    }

    private static String take(LinkedBlockingQueue<String> heads) throws InterruptedException {
        String head = heads.poll(5, TimeUnit.SECONDS);
        assertThat(head).as("request head at the real server").isNotNull();
        return head;
    }

    @Test
    void rfc7231_clientThatWaitsWithoutAnAnswer_thenSendsItsBody_getsTheServersAnswer() throws Exception {
        LinkedBlockingQueue<String> heads = new LinkedBlockingQueue<>();
        try (RawBackend s = server(false, heads); ProxyFixture g = gateway(s, ExpectContinue.RFC7231);
                RawClient c = RawClient.connect(g.port())) {
            c.send(HEAD);
            assertThat(take(heads)).containsIgnoringCase("expect: 100-continue"); // forwarded at once
            assertThat(c.silentFor(1500)).isTrue(); // no 417, no 100 from the gateway: the server decides
            String response = c.send("hello").readResponse();
            assertThat(RawClient.status(response)).isEqualTo(201);
            assertThat(response).endsWith("got:hello");
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void rfc7231_serversContinue_isRelayed_beforeTheBodyIsSent() throws Exception {
        LinkedBlockingQueue<String> heads = new LinkedBlockingQueue<>();
        try (RawBackend s = server(true, heads); ProxyFixture g = gateway(s, ExpectContinue.RFC7231);
                RawClient c = RawClient.connect(g.port())) {
            String interim = c.send(HEAD).readHead();
            assertThat(RawClient.status(interim)).isEqualTo(100);
            String response = c.send("hello").readResponse();
            assertThat(RawClient.status(response)).isEqualTo(201);
            assertThat(response).endsWith("got:hello");
        }
    }

    @Test
    void rfc7231_bodySentWithoutWaiting_isAccepted() throws Exception {
        LinkedBlockingQueue<String> heads = new LinkedBlockingQueue<>();
        try (RawBackend s = server(true, heads); ProxyFixture g = gateway(s, ExpectContinue.RFC7231);
                RawClient c = RawClient.connect(g.port())) {
            String first = c.send(HEAD + "hello").readHead();
            String response = RawClient.status(first) == 100 ? c.readResponse() : first + c.readBody(9);
            assertThat(RawClient.status(response)).isEqualTo(201);
            assertThat(response).endsWith("got:hello");
        }
    }

    @Test
    void rfc2616_gatewayAnswersContinue_andTheServerSeesNoExpect() throws Exception {
        LinkedBlockingQueue<String> heads = new LinkedBlockingQueue<>();
        try (RawBackend s = server(false, heads); ProxyFixture g = gateway(s, ExpectContinue.RFC2616);
                RawClient c = RawClient.connect(g.port())) {
            String interim = c.send(HEAD).readHead();
            assertThat(RawClient.status(interim)).isEqualTo(100);
            String response = c.send("hello").readResponse();
            assertThat(response).endsWith("got:hello");
            assertThat(take(heads)).doesNotContainIgnoringCase("expect:");
        }
    }

    @Test
    void ignore_dropsExpect_andStreams() throws Exception {
        LinkedBlockingQueue<String> heads = new LinkedBlockingQueue<>();
        try (RawBackend s = server(false, heads); ProxyFixture g = gateway(s, ExpectContinue.IGNORE);
                RawClient c = RawClient.connect(g.port())) {
            String response = c.send(HEAD + "hello").readResponse();
            assertThat(RawClient.status(response)).isEqualTo(201);
            assertThat(take(heads)).doesNotContainIgnoringCase("expect:");
        }
    }

    @Test
    void unknownExpectation_is417() {
        LinkedBlockingQueue<String> heads = new LinkedBlockingQueue<>();
        try (RawBackend s = server(false, heads); ProxyFixture g = gateway(s, ExpectContinue.RFC7231);
                RawClient c = RawClient.connect(g.port())) {
            String response = c.send("GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n").readResponse();
            assertThat(RawClient.status(response)).isEqualTo(417);
            assertThat(heads).isEmpty();
        }
    }

}
