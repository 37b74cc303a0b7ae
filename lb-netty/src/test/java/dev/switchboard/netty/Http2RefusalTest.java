package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.testing.AccessLogCapture;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A connection that the listener's connection limits refuse, when it speaks HTTP/2 (h2c with prior knowledge, or
 * ALPN {@code h2} from the JDK's client): the refusal comes in HTTP/2 frames, a 503 on its first stream and a
 * GOAWAY, never HTTP/1.1 bytes that an HTTP/2 client cannot read.
 */
class Http2RefusalTest {

    private static ProxyFixture gatewayForOneConnection(StreamBackend server) {
        return ProxyFixture.start(Http2CleartextTest.service(server), b -> b.http2Cleartext(true).accessLog(true)
                .limits(Limits.DEFAULTS.withConnectionLimits(1, 0)));
    }

    @Test
    void overTheServiceLimit_firstStreamIsAnswered503InFrames_thenGoAway() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1"); ProxyFixture g = gatewayForOneConnection(s1);
                AccessLogCapture log = new AccessLogCapture();
                H2Wire admitted = H2Wire.connect(g.port())) {
            admitted.headers(1, H2Wire.get("/first"), true);
            assertThat(admitted.response(1, 5).status()).isEqualTo("200"); // it holds the only slot, idle

            try (H2Wire refused = H2Wire.connect(g.port())) {
                refused.headers(1, H2Wire.get("/second"), true);
                H2Wire.Response r = refused.response(1, 5);

                assertThat(r.status()).isEqualTo("503");
                assertThat(r.heads.get(0).get("retry-after")).hasToString("1");
                assertThat(r.body.toString(StandardCharsets.UTF_8)).isEqualTo("Service Unavailable\n");
                H2Wire.GoAway away = refused.await(H2Wire.GoAway.class, x -> true, 5);
                assertThat(away.lastStream()).isEqualTo(1);
                Eventually.until("refused connection closed", () -> !refused.isOpen());
            }
            assertThat(log.next("refused=")).contains("\"GET /second\"", "503", "maxConnections");
            assertThat(s1.heads).extracting(StreamBackend.Head::line).containsExactly("GET /first");

            admitted.headers(3, H2Wire.get("/again"), true);
            assertThat(admitted.response(3, 5).status()).isEqualTo("200");
        }
    }

    @Test
    void refusedRequestWithABody_isAnsweredAndItsStreamEnded() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1"); ProxyFixture g = gatewayForOneConnection(s1);
                H2Wire admitted = H2Wire.connect(g.port())) {
            admitted.headers(1, H2Wire.get("/first"), true);
            assertThat(admitted.response(1, 5).status()).isEqualTo("200");

            try (H2Wire refused = H2Wire.connect(g.port())) {
                refused.headers(1, H2Wire.post("/echo"), false); // a body promised, never sent
                assertThat(refused.response(1, 5).status()).isEqualTo("503");
                refused.await(H2Wire.GoAway.class, x -> true, 5);
                Eventually.until("refused connection closed", () -> !refused.isOpen());
            }
            assertThat(s1.heads).hasSize(1);
        }
    }

    @Test
    void overTheServiceLimit_alpnH2Client_gets503AsAnHttp2Response() throws Exception {
        Http2TlsTest.certificates();
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(Http2TlsTest.service(PersistenceMode.NONE, s1),
                        b -> b.tls(Http2TlsTest.tls("h2", "http/1.1"))
                                .limits(Limits.DEFAULTS.withConnectionLimits(1, 0)))) {
            HttpClient first = Http2TlsTest.client();
            HttpResponse<String> admitted = first.send(Http2TlsTest.get(g, "/first").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(admitted.version()).isEqualTo(HttpClient.Version.HTTP_2); // its connection stays, pooled

            HttpResponse<String> refused = Http2TlsTest.client().send(Http2TlsTest.get(g, "/second").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(s1.heads).extracting(StreamBackend.Head::line).containsExactly("GET /first");
        }
    }

    @Test
    void refusedClientThatOpensNoStream_getsGoAway_andIsClosed() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1"); ProxyFixture g = gatewayForOneConnection(s1);
                H2Wire admitted = H2Wire.connect(g.port())) {
            admitted.headers(1, H2Wire.get("/first"), true);
            assertThat(admitted.response(1, 5).status()).isEqualTo("200");

            try (H2Wire refused = H2Wire.connect(g.port())) { // preface and SETTINGS, then nothing
                H2Wire.GoAway away = refused.await(H2Wire.GoAway.class, x -> true, 10);
                assertThat(away.lastStream()).isZero();
                Eventually.until("refused connection closed", () -> !refused.isOpen());
            }
        }
    }
}
