package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.Redirect;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.netty.testing.RawClient;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** h2c with prior knowledge (Netty's frame writer and reader as the client) to HTTP/1.1 real servers. */
class Http2CleartextTest {

    static VirtualService.Builder service(StreamBackend server) {
        return VirtualService.builder("api").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of(server.name,
                        server.address())).build());
    }

    @Test
    void priorKnowledge_getIsAnsweredOverH2_andHttp11StillWorksOnTheSameListener() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(service(s1), b -> b.http2Cleartext(true));
                H2Wire h2 = H2Wire.connect(g.port())) {
            h2.headers(1, H2Wire.get("/x").add("cookie", "a=1").add("cookie", "b=2"), true);
            H2Wire.Response r = h2.response(1, 5);

            assertThat(r.status()).isEqualTo("200");
            assertThat(r.body.toString(StandardCharsets.UTF_8)).isEqualTo("s1 /x");
            assertThat(r.heads.get(0).get("x-backend")).hasToString("s1");
            assertThat(r.heads.get(0).contains("connection")).isFalse();
            StreamBackend.Head head = s1.take();
            assertThat(head.headers()).containsEntry("host", "gw.test").containsEntry("cookie", "a=1; b=2");

            try (RawClient h1 = RawClient.connect(g.port())) {
                h1.send("GET /h1 HTTP/1.1\r\nHost: gw.test\r\n\r\n");
                assertThat(h1.readResponse()).startsWith("HTTP/1.1 200").endsWith("s1 /h1");
            }
        }
    }

    @Test
    void trailers_crossBothWays() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(service(s1), b -> b.http2Cleartext(true));
                H2Wire h2 = H2Wire.connect(g.port())) {
            h2.headers(1, H2Wire.post("/echo").add("te", "trailers"), false);
            h2.data(1, "hello ".getBytes(StandardCharsets.UTF_8), false);
            h2.data(1, "world".getBytes(StandardCharsets.UTF_8), false);
            h2.headers(1, new DefaultHttp2Headers().add("x-checksum", "abc123"), true);
            H2Wire.Response r = h2.response(1, 5);

            assertThat(r.status()).isEqualTo("200");
            assertThat(r.body.toString(StandardCharsets.UTF_8)).isEqualTo("hello world");
            assertThat(r.heads).hasSize(2);
            assertThat(r.heads.get(1).get("x-request-trailer")).hasToString("abc123");
            assertThat(r.heads.get(1).get("x-crc32")).isNotNull();
            assertThat(s1.take().headers()).containsEntry("transfer-encoding", "chunked").doesNotContainKey("te");
        }
    }

    @Test
    void expectContinue_interim100ComesAsHeaders_thenTheBodyGoesUp() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(service(s1), b -> b.http2Cleartext(true));
                H2Wire h2 = H2Wire.connect(g.port())) {
            h2.headers(1, H2Wire.post("/echo").add("expect", "100-continue").addInt("content-length", 5), false);
            H2Wire.Headers interim = h2.await(H2Wire.Headers.class, h -> h.stream() == 1, 5);
            assertThat(interim.headers().status()).hasToString("100");
            assertThat(interim.end()).isFalse();

            h2.data(1, "hello".getBytes(StandardCharsets.UTF_8), true);
            H2Wire.Response r = h2.response(1, 5);
            assertThat(r.status()).isEqualTo("200");
            assertThat(r.body.toString(StandardCharsets.UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void concurrentStreams_withInterleavedBodies_eachGetsItsOwnAnswer_andNoLeaseIsLeft() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(service(s1), b -> b.http2Cleartext(true));
                H2Wire h2 = H2Wire.connect(g.port())) {
            int streams = 20;
            for (int i = 0; i < streams; i++) {
                h2.headers(1 + 2 * i, H2Wire.post("/echo/" + i), false);
            }
            for (int piece = 0; piece < 3; piece++) { // the pieces of all streams interleaved on the connection
                for (int i = 0; i < streams; i++) {
                    h2.data(1 + 2 * i, ("s" + i + "p" + piece + ";").getBytes(StandardCharsets.UTF_8), piece == 2);
                }
            }
            h2.headers(1 + 2 * streams, H2Wire.get("/plain"), true);

            for (int i = 0; i < streams; i++) {
                H2Wire.Response r = h2.response(1 + 2 * i, 5);
                assertThat(r.status()).isEqualTo("200");
                String s = "s" + i;
                assertThat(r.body.toString(StandardCharsets.UTF_8)).isEqualTo(s + "p0;" + s + "p1;" + s + "p2;");
            }
            assertThat(h2.response(1 + 2 * streams, 5).status()).isEqualTo("200");
            g.assertNoLeaseHeld();
            assertThat(h2.isOpen()).isTrue();
        }
    }

    @Test
    void listenerClose_sendsGoAway_andLetsTheStreamInFlightFinish() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(service(s1), b -> b.http2Cleartext(true));
                H2Wire h2 = H2Wire.connect(g.port())) {
            h2.headers(1, H2Wire.post("/echo"), false);
            h2.data(1, "first ".getBytes(StandardCharsets.UTF_8), false);
            assertThat(s1.take().line()).isEqualTo("POST /echo");
            assertThat(h2.await(H2Wire.Headers.class, h -> h.stream() == 1, 5).headers().status()).hasToString("200");
            assertThat(h2.await(H2Wire.Data.class, d -> d.stream() == 1, 5).bytes()).asString().isEqualTo("first ");
            CompletableFuture<Void> closed = g.proxy.close(Duration.ofSeconds(5));

            H2Wire.GoAway away = h2.await(H2Wire.GoAway.class, x -> true, 5);
            assertThat(away.code()).isZero();
            assertThat(closed).isNotDone();
            h2.data(1, "last".getBytes(StandardCharsets.UTF_8), true);
            H2Wire.Response r = h2.response(1, 5); // the rest: the last piece and the trailers
            assertThat(r.body.toString(StandardCharsets.UTF_8)).isEqualTo("last");
            assertThat(r.heads).hasSize(1);
            closed.get(5, TimeUnit.SECONDS);
            Eventually.until("connection closed", () -> !h2.isOpen());
        }
    }

    @Test
    void connectionSpecificRequestHeaders_resetTheStream_andNeverReachTheServer() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(service(s1), b -> b.http2Cleartext(true));
                H2Wire h2 = H2Wire.connect(g.port())) {
            String[][] bad = {{"connection", "keep-alive"}, {"keep-alive", "300"}, {"transfer-encoding", "chunked"},
                    {"upgrade", "websocket"}, {"proxy-connection", "close"}, {"te", "gzip"}};
            for (int i = 0; i < bad.length; i++) {
                DefaultHttp2Headers h = new DefaultHttp2Headers(false);
                h.method("GET").scheme("http").authority("gw.test").path("/bad/" + i).add(bad[i][0], bad[i][1]);
                h2.headers(1 + 2 * i, h, true);
                int stream = 1 + 2 * i;
                H2Wire.Reset reset = h2.await(H2Wire.Reset.class, r -> r.stream() == stream, 5);
                assertThat(reset.code()).as(bad[i][0]).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
            }
            h2.headers(21, H2Wire.get("/good").add("te", "trailers"), true);
            assertThat(h2.response(21, 5).status()).isEqualTo("200");
            assertThat(s1.take().line()).isEqualTo("GET /good");
            assertThat(s1.heads).isEmpty();
        }
    }

    @Test
    void redirector_answersOverH2() throws Exception {
        VirtualService.Builder redirect = VirtualService.builder("api").listen("127.0.0.1:8080")
                .protocol(Protocol.HTTP).redirect(Redirect.toScheme("https"));
        try (ProxyFixture g = ProxyFixture.start(redirect, b -> b.http2Cleartext(true));
                H2Wire h2 = H2Wire.connect(g.port())) {
            h2.headers(1, H2Wire.get("/login?next=/"), true);
            H2Wire.Response r = h2.response(1, 5);

            assertThat(r.status()).isEqualTo("301");
            assertThat(r.heads.get(0).get("location")).hasToString("https://gw.test/login?next=/");
        }
    }

    @Test
    void withoutCleartext_thePrefaceIsNotHttp2() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1"); ProxyFixture g = ProxyFixture.start(service(s1));
                RawClient raw = RawClient.connect(g.port())) {
            raw.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 ");
        }
    }
}
