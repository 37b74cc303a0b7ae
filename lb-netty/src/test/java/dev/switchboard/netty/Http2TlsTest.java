package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.netty.testing.AccessLogCapture;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.SniCertificates;
import dev.switchboard.tls.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/2 over TLS (ALPN h2) from the JDK's HttpClient to HTTP/1.1 real servers through the gateway. */
class Http2TlsTest {

    private static TestPki.Issued ca;
    private static TestPki.Issued leaf;
    private static SSLContext clientTls;

    @BeforeAll
    static void certificates() {
        ca = TestPki.ca("H2 Test CA");
        leaf = TestPki.leaf(ca, "localhost", "127.0.0.1");
        clientTls = TestPki.clientContext(ca, "TLS");
    }

    static ServerTlsConfig tls(String... alpn) {
        return ServerTlsConfig.builder(SniCertificates.builder(leaf.tls()).build()).applicationProtocols(alpn)
                .build();
    }

    static VirtualService.Builder service(PersistenceMode persistence, StreamBackend... servers) {
        SubService.Builder pool = SubService.builder("pool").asDefault();
        for (StreamBackend s : servers) {
            pool.realServer(RealServer.of(s.name, s.address()));
        }
        return VirtualService.builder("api").listen("127.0.0.1:8443").protocol(Protocol.HTTPS)
                .scheduling(SchedulingMethod.ROUND_ROBIN).persistence(Persistence.of(persistence))
                .subService(pool.build());
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(clientTls)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpRequest.Builder get(ProxyFixture g, String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + g.port() + path))
                .timeout(Duration.ofSeconds(20));
    }

    @Test
    void get_overAlpnH2_isForwardedAsHttp11WithHostFromAuthority() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1"); AccessLogCapture log = new AccessLogCapture();
                ProxyFixture g = ProxyFixture.start(service(PersistenceMode.NONE, s1),
                        b -> b.tls(tls("h2", "http/1.1")))) {
            HttpResponse<String> r = client().send(get(g, "/a?x=1").header("cookie", "a=1").build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("s1 /a?x=1");
            assertThat(r.headers().firstValue("x-backend")).hasValue("s1");
            StreamBackend.Head head = s1.take();
            assertThat(head.line()).isEqualTo("GET /a?x=1");
            assertThat(head.headers()).containsEntry("host", "localhost:" + g.port())
                    .containsEntry("x-forwarded-proto", "https").containsEntry("cookie", "a=1");
            assertThat(head.headers().keySet()).noneMatch(n -> n.startsWith("x-http2") || n.startsWith(":")
                    || n.equals("te") || n.equals("upgrade") || n.equals("http2-settings"));
            assertThat(log.next("GET /a?x=1")).contains("\"GET /a?x=1 HTTP/2.0\" 200");
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void alpnWithoutH2_clientFallsBackToHttp11() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(service(PersistenceMode.NONE, s1), b -> b.tls(tls("http/1.1")))) {
            HttpResponse<String> r = client().send(get(g, "/h1").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(r.body()).isEqualTo("s1 /h1");
        }
    }

    @Test
    void manyConcurrentStreams_onOneConnection_spreadOverRealServers_andStickPerStream() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1"); StreamBackend s2 = new StreamBackend("s2");
                StreamBackend s3 = new StreamBackend("s3");
                ProxyFixture g = ProxyFixture.start(service(PersistenceMode.ACTIVE_COOKIE, s1, s2, s3),
                        b -> b.tls(tls("h2", "http/1.1")))) {
            HttpClient client = client();
            client.send(get(g, "/warm-up").build(), HttpResponse.BodyHandlers.ofString()); // one connection, then
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                all.add(client.sendAsync(get(g, "/n/" + i).build(), HttpResponse.BodyHandlers.ofString()));
            }
            Map<String, Long> byServer = all.stream().map(CompletableFuture::join)
                    .peek(r -> assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2))
                    .collect(Collectors.groupingBy(r -> r.headers().firstValue("x-backend").orElseThrow(),
                            Collectors.counting()));
            assertThat(byServer).containsOnlyKeys("s1", "s2", "s3").allSatisfy((k, v) -> assertThat(v).isEqualTo(30));
            assertThat(g.proxy.channels().openConnections()).isEqualTo(1);

            // persistence per stream: the cookie each stream carries picks its server, whichever it is
            HttpResponse<String> first = all.get(0).join();
            String cookie = first.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
            String server = first.headers().firstValue("x-backend").orElseThrow();
            List<CompletableFuture<HttpResponse<String>>> sticky = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                sticky.add(client.sendAsync(get(g, "/s/" + i).header("cookie", cookie).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            assertThat(sticky).allSatisfy(f -> assertThat(f.join().headers().firstValue("x-backend"))
                    .hasValue(server));
            g.assertNoLeaseHeld();
            // statistics per stream: every stream was one request of the virtual service
            assertThat(g.engine.stats().virtualServices().get(0).totalRequests()).isEqualTo(1 + 90 + 30);
        }
    }

    @Test
    void severalMiB_streamBothWays_withTrailersBack() throws Exception {
        byte[] body = new byte[6 << 20];
        new SplittableRandom(17).nextBytes(body);
        CRC32 crc = new CRC32();
        crc.update(body);
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(service(PersistenceMode.NONE, s1),
                        b -> b.tls(tls("h2", "http/1.1")))) {
            HttpResponse<InputStream> r = client().send(get(g, "/echo")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] back;
            try (InputStream in = r.body()) {
                back = in.readAllBytes();
            }
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(back).hasSize(body.length).isEqualTo(body);
            assertThat(s1.take().headers()).containsEntry("transfer-encoding", "chunked");

            HttpResponse<InputStream> big = client().send(get(g, "/big?n=" + (8 << 20)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = big.body()) {
                assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(8 << 20);
            }
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void engineAnswers_404And503_mapToH2Responses() throws Exception {
        VirtualService.Builder noDefault = VirtualService.builder("api").listen("127.0.0.1:8443")
                .protocol(Protocol.HTTPS)
                .subService(SubService.builder("only").matchAny(ContentRule.pathPrefix("/only"))
                        .realServer(RealServer.of("gone", "127.0.0.1:1")).build());
        try (ProxyFixture g = ProxyFixture.start(noDefault, b -> b.tls(tls("h2", "http/1.1")))) {
            HttpResponse<String> missing = client().send(get(g, "/nothing").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(missing.statusCode()).isEqualTo(404);

            g.engine.setAdminState("api", "only", "gone", AdminState.DISABLED, Duration.ZERO).join();
            HttpResponse<String> down = client().send(get(g, "/only/x").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("retry-after")).isPresent();
            assertThat(down.headers().firstValue("connection")).isEmpty();
        }
    }
}
