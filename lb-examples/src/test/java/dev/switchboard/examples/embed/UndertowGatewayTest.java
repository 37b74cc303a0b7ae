package dev.switchboard.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.Redirect;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UndertowGatewayTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private UndertowGateway gateway;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private UndertowGateway start(VirtualService vs) {
        gateway = UndertowGateway.start(new InetSocketAddress("127.0.0.1", 0),
                LoadBalancer.builder().virtualService(vs).build(), vs.name());
        closing.add(0, gateway);
        return gateway;
    }

    private String backend(String name) throws Exception {
        HttpServer server = TinyBackend.start(name);
        closing.add(() -> server.stop(0));
        return TinyBackend.address(server);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String server(HttpResponse<String> r) {
        return r.headers().firstValue("X-Real-Server").orElse("none (" + r.statusCode() + ")");
    }

    @Test
    void undertowGateway_paths_routeToTheirSubServices_andOthersGetTheEngines404() throws Exception {
        List<RealServer> blue = List.of(RealServer.of("blue", backend("blue")));
        List<RealServer> green = List.of(RealServer.of("green", backend("green")));
        start(VirtualService.builder("web")
                .subService(SubService.builder("b").matchAny(ContentRule.pathPrefix("/blue")).realServers(blue).build())
                .subService(SubService.builder("g").matchAny(ContentRule.pathPrefix("/green")).realServers(green)
                        .build()).build());

        HttpResponse<String> b = get("/blue/a%20b?x=1&y=2");
        assertThat(b.statusCode()).isEqualTo(200);
        assertThat(b.body()).isEqualTo("blue /blue/a%20b?x=1&y=2\n");
        HttpResponse<String> g = get("/green/");
        assertThat(server(g)).isEqualTo("green");
        assertThat(g.body()).isEqualTo("green /green/\n");
        HttpResponse<String> none = get("/red");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).startsWith("404 ");
        awaitNoLease();
    }

    @Test
    void undertowGateway_activeCookie_keepsTheClientOnItsServer() throws Exception {
        List<RealServer> pool = List.of(RealServer.of("blue", backend("blue")),
                RealServer.of("green", backend("green")));
        start(VirtualService.builder("web").subService(SubService.builder("app").asDefault().realServers(pool)
                .persistence(Persistence.of(PersistenceMode.ACTIVE_COOKIE)).build()).build());

        Set<String> withoutCookie = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            withoutCookie.add(server(get("/app/" + i)));
        }
        assertThat(withoutCookie).as("round robin without a cookie").containsExactlyInAnyOrder("blue", "green");

        HttpResponse<String> first = get("/app/");
        String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("SBSRV=");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        for (int i = 0; i < 6; i++) {
            assertThat(server(get("/app/page" + i, "Cookie", cookie))).as("persistent").isEqualTo(server(first));
        }
    }

    @Test
    void undertowGateway_forward_removesHopByHop_setsForwardedFor_keepsHost_appliesRules() throws Exception {
        MockWebServer real = new MockWebServer();
        real.start(InetAddress.getLoopbackAddress(), 0);
        closing.add(real);
        real.enqueue(new MockResponse.Builder().code(201).addHeader("Connection", "X-Upstream-Hop")
                .addHeader("X-Upstream-Hop", "1").addHeader("X-Kept", "yes").body("made").build());
        start(VirtualService.builder("web").subService(SubService.builder("api").asDefault()
                .realServer(RealServer.of("api1", "127.0.0.1:" + real.getPort()))
                .requestRule(HeaderRule.setHeader("X-Edge", "switchboard"))
                .responseRule(HeaderRule.setHeader("X-Served-By", "switchboard")).build()).build());

        String response = raw("POST /api/items?id=7 HTTP/1.1\r\nHost: shop.example\r\n"
                + "Connection: close\r\nConnection: X-Hop\r\nX-Hop: secret\r\nKeep-Alive: timeout=5\r\n"
                + "X-Forwarded-For: 203.0.113.9\r\nContent-Length: 5\r\n\r\nhello");

        RecordedRequest seen = real.takeRequest(5, TimeUnit.SECONDS);
        assertThat(seen.getRequestLine()).isEqualTo("POST /api/items?id=7 HTTP/1.1");
        assertThat(seen.getHeaders().get("Host")).isEqualTo("shop.example");
        assertThat(seen.getHeaders().get("X-Forwarded-For")).as("the peer, not the client's claim")
                .isEqualTo("127.0.0.1");
        assertThat(seen.getHeaders().get("X-Edge")).isEqualTo("switchboard");
        assertThat(seen.getHeaders().get("X-Hop")).as("named by Connection").isNull();
        assertThat(seen.getHeaders().get("Keep-Alive")).isNull();
        assertThat(seen.getBody().utf8()).isEqualTo("hello");
        assertThat(response).startsWith("HTTP/1.1 201 ").endsWith("\r\n\r\nmade");
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).contains("\r\nx-kept: yes").contains("\r\nx-served-by: switchboard")
                .doesNotContain("x-upstream-hop");
        awaitNoLease();
    }

    @Test
    void undertowGateway_redirector_answersWithLocation() throws Exception {
        start(VirtualService.builder("plain").redirect(Redirect.toScheme("https")).build());

        HttpResponse<String> r = get("/login?next=%2F", "X-Ignored", "1");

        assertThat(r.statusCode()).as("Redirect.toScheme answers 301").isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .startsWith("https://127.0.0.1").endsWith("/login?next=%2F"));
    }

    @Test
    void undertowGateway_drainedServer_takesNoNewClients() throws Exception {
        List<RealServer> pool = List.of(RealServer.of("blue", backend("blue")),
                RealServer.of("green", backend("green")));
        start(VirtualService.builder("web").subService(SubService.builder("app").asDefault().realServers(pool).build())
                .build());
        assertThat(gateway.engine().setAdminState("green", AdminState.DRAINING, Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS)).as("drained").isTrue();

        for (int i = 0; i < 6; i++) {
            assertThat(server(get("/x" + i))).isEqualTo("blue");
        }
    }

    /** The lease goes back when Undertow ends the exchange, which may be a moment after the client has it all. */
    private void awaitNoLease() {
        Eventually.until("every lease released", Duration.ofSeconds(10), () -> gateway.engine().stats()
                .findVirtualService(gateway.engine().model().virtualServices().get(0).name()).orElseThrow()
                .activeConnections() == 0);
    }

    /** Sends one request as written on a fresh connection and reads the answer to the end (the request closes). */
    private String raw(String request) throws Exception {
        URI url = URI.create(gateway.url());
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
