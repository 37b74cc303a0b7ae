package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Persistence;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.UpstreamProtocol;
import dev.switchboard.api.VirtualService;
import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.GrpcBackend;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.tls.UpstreamTlsConfig;
import dev.switchboard.tls.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * {@code upstreamProtocol: h2} with plain HTTP: h2c and h2 over TLS real servers (OkHttp's MockWebServer) for
 * HTTP/1.1 and h2c clients, real servers that do not speak h2 (502, never a hang), and an HTTP/1.1 client's call to
 * a gRPC server (its trailers come back as chunked trailers).
 */
class Http2UpstreamTest {

    static VirtualService.Builder service(String... addresses) {
        SubService.Builder pool = SubService.builder("pool").asDefault().upstreamProtocol(UpstreamProtocol.H2);
        for (int i = 0; i < addresses.length; i++) {
            pool.realServer(RealServer.of("s" + (i + 1), addresses[i]));
        }
        return VirtualService.builder("api").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .persistence(Persistence.NONE).subService(pool.build());
    }

    @Test
    void h2cRealServer_http11AndH2Clients_areForwardedAsStreamsOfOneConnection() throws Exception {
        try (Backend s1 = Backend.echoIn("s1", List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE), Optional.empty());
                ProxyFixture g = ProxyFixture.start(service(s1.address()), b -> b.http2Cleartext(true));
                RawClient h1 = RawClient.connect(g.port()); H2Wire h2 = H2Wire.connect(g.port())) {
            for (int i = 0; i < 3; i++) {
                String response = h1.send("GET /h1/" + i + " HTTP/1.1\r\nHost: gw.test\r\n\r\n").readResponse();
                assertThat(response).startsWith("HTTP/1.1 200").endsWith("s1 /h1/" + i + " HTTP/2");
                assertThat(response.toLowerCase()).contains("x-backend: s1").doesNotContain("x-http2-stream-id");
            }
            h2.headers(1, H2Wire.get("/h2"), true);
            H2Wire.Response r = h2.response(1, 5);
            assertThat(r.status()).isEqualTo("200");
            assertThat(r.body.toString(StandardCharsets.UTF_8)).isEqualTo("s1 /h2 HTTP/2");

            RecordedRequest first = s1.take();
            assertThat(first.getUrl().host()).isEqualTo("gw.test"); // :authority from the client's Host
            assertThat(first.getHeaders().get("x-forwarded-for")).isEqualTo("127.0.0.1");
            assertThat(first.getExchangeIndex()).isZero();
            for (int i = 1; i < 3; i++) { // one client connection, one loop: streams of one upstream connection
                RecordedRequest seen = s1.take();
                assertThat(seen.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
                assertThat(seen.getExchangeIndex()).isEqualTo(i);
            }
            assertThat(g.proxy.channels().upstreamH2ConnectionsOpened()).isBetween(1, 2); // the h2 client's loop
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void tlsRealServer_selectingH2ByAlpn_isSpokenToInH2() throws Exception {
        TestPki.Issued ca = TestPki.ca("H2 Upstream CA");
        TestPki.Issued cert = TestPki.leaf(ca, "127.0.0.1");
        try (Backend s1 = Backend.echoIn("s1", List.of(okhttp3.Protocol.HTTP_2, okhttp3.Protocol.HTTP_1_1),
                        Optional.of(TestPki.serverContext(cert).getSocketFactory()));
                ProxyFixture g = ProxyFixture.start(service(s1.address()), trusting(ca));
                RawClient c = RawClient.connect(g.port())) {
            String response = c.send("GET /secure HTTP/1.1\r\nHost: gw.test\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 200").endsWith("s1 /secure HTTP/2");
            assertThat(s1.take().getHandshake()).isNotNull();
        }
    }

    @Test
    void tlsRealServer_withoutH2_is502_andAConnectFailure() throws Exception {
        TestPki.Issued ca = TestPki.ca("H2 Upstream CA");
        TestPki.Issued cert = TestPki.leaf(ca, "127.0.0.1");
        try (Backend s1 = Backend.echoIn("s1", List.of(okhttp3.Protocol.HTTP_1_1),
                        Optional.of(TestPki.serverContext(cert).getSocketFactory()));
                ProxyFixture g = ProxyFixture.start(service(s1.address()), trusting(ca));
                RawClient c = RawClient.connect(g.port())) {
            c.socket.setSoTimeout(10_000);
            String response = c.send("GET /secure HTTP/1.1\r\nHost: gw.test\r\n\r\n").readResponse();

            assertThat(RawClient.status(response)).isEqualTo(502);
            assertThat(g.failures("pool", "s1")).isPositive();
            assertThat(s1.server.getRequestCount()).isZero();
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void plainHttp11RealServer_is502_notAHang() throws Exception {
        try (Backend s1 = Backend.echo("s1"); ProxyFixture g = ProxyFixture.start(service(s1.address()));
                RawClient c = RawClient.connect(g.port())) {
            c.socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            String response = c.send("GET /x HTTP/1.1\r\nHost: gw.test\r\n\r\n").readResponse();

            assertThat(RawClient.status(response)).isEqualTo(502);
            assertThat(System.nanoTime() - start).isLessThan(8_000_000_000L);
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void http11Client_callingAGrpcServer_getsGrpcStatusAsChunkedTrailers() throws Exception {
        try (GrpcBackend g1 = GrpcBackend.start("g1"); ProxyFixture g = ProxyFixture.start(service(g1.address()));
                RawClient c = RawClient.connect(g.port())) {
            c.socket.setSoTimeout(10_000);
            byte[] message = {0, 0, 0, 0, 2, 'h', 'i'}; // uncompressed, 2 bytes
            c.send("POST /test.Echo/Unary HTTP/1.1\r\nHost: gw.test\r\nContent-Type: application/grpc\r\n"
                    + "TE: trailers\r\nContent-Length: 7\r\n\r\n");
            c.send(message);
            String head = c.readHead();
            String rest = untilLastChunk(c.socket.getInputStream());

            assertThat(RawClient.status(head)).isEqualTo(200);
            assertThat(head.toLowerCase()).contains("transfer-encoding: chunked")
                    .contains("content-type: application/grpc");
            assertThat(rest).contains("g1:hi").containsIgnoringCase("\r\ngrpc-status: 0\r\n");

            c.send("POST /test.Echo/Fail HTTP/1.1\r\nHost: gw.test\r\nContent-Type: application/grpc\r\n"
                    + "Content-Length: 7\r\n\r\n");
            c.send(message);
            head = c.readHead();
            rest = untilLastChunk(c.socket.getInputStream());
            assertThat(RawClient.status(head)).isEqualTo(200);
            assertThat(rest).containsIgnoringCase("grpc-status: 3\r\n").containsIgnoringCase("grpc-message: bad thing");
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void refusedStream_ofABodilessPost_isRetried_oneWithABodyIs502() throws Exception {
        try (RefusingH2Backend s1 = new RefusingH2Backend(1);
                ProxyFixture g = ProxyFixture.start(service(s1.address()))) {
            try (RawClient c = RawClient.connect(g.port())) {
                String response = c.send("POST /again HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 0\r\n\r\n")
                        .readResponse();
                assertThat(response).startsWith("HTTP/1.1 200").endsWith("ok /again");
                assertThat(s1.streams.get()).isEqualTo(2); // refused unprocessed, so safe to send again
            }
            s1.refuseNext(1);
            try (RawClient c = RawClient.connect(g.port())) {
                String response = c.send("POST /body HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 3\r\n\r\nabc")
                        .readResponse();
                assertThat(RawClient.status(response)).isEqualTo(502); // the body is not kept for another try
            }
            assertThat(s1.streams.get()).isEqualTo(3);
            g.assertNoLeaseHeld();
        }
    }

    private static UnaryOperator<dev.switchboard.netty.settings.ListenerSettings.Builder> trusting(TestPki.Issued ca) {
        return b -> b.upstreamTls(UpstreamTlsConfig.builder().trustCertificates(List.of(ca.certificate())).build());
    }

    /** A chunked body up to and including its last chunk and trailer section (bounded by the socket timeout). */
    private static String untilLastChunk(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            seen.write(b);
            String text = seen.toString(StandardCharsets.ISO_8859_1);
            int last = text.startsWith("0\r\n") ? 0 : text.indexOf("\r\n0\r\n");
            if (last >= 0 && text.endsWith("\r\n\r\n") && text.length() > last + 4) {
                return text;
            }
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }
}
