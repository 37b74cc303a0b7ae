package dev.switchboard.netty;

import dev.switchboard.netty.testing.Backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Cidr;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.Redirect;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpProxyForwardTest {

    private final OkHttpClient client = new OkHttpClient.Builder().followRedirects(false)
            .retryOnConnectionFailure(false).readTimeout(10, TimeUnit.SECONDS).build();
    private Backend owa1;
    private Backend owa2;
    private Backend other;
    private ProxyFixture gateway;

    @BeforeEach
    void start() {
        owa1 = Backend.echo("ex01");
        owa2 = Backend.echo("ex02");
        other = Backend.echo("web");
        VirtualService.Builder vs = VirtualService.builder("mail").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .scheduling(SchedulingMethod.ROUND_ROBIN)
                .requestRule(HeaderRule.rewritePath("^/$", "/owa/"))
                .requestRule(HeaderRule.setHeader("X-Gateway", "sb"))
                .responseRule(HeaderRule.removeHeader("X-Backend-Secret"))
                .subService(SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa").ignoreCase())
                        .persistence(Persistence.builder(PersistenceMode.ACTIVE_COOKIE)
                                .cookieSecret("0123456789abcdef-test").build())
                        .realServer(RealServer.of("ex01", owa1.address()))
                        .realServer(RealServer.of("ex02", owa2.address())).build())
                .subService(SubService.builder("default").asDefault()
                        .realServer(RealServer.of("web", other.address())).build());
        gateway = ProxyFixture.start(vs);
    }

    @AfterEach
    void stop() {
        gateway.close();
        owa1.close();
        owa2.close();
        other.close();
        client.connectionPool().evictAll();
    }

    private Response get(String path, String... headers) throws IOException {
        Request.Builder r = new Request.Builder().url(gateway.url(path));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return client.newCall(r.build()).execute();
    }

    @Test
    void mixedCasePaths_switchToTheirSubService_throughTheRealProxy() throws IOException {
        try (Response a = get("/OWA/inbox?x=1"); Response b = get("/Owa/"); Response c = get("/other/page")) {
            assertThat(a.code()).isEqualTo(200);
            assertThat(a.header("X-Backend")).isIn("ex01", "ex02");
            assertThat(b.header("X-Backend")).isIn("ex01", "ex02");
            assertThat(c.header("X-Backend")).isEqualTo("web");
            assertThat(c.body().string()).isEqualTo("web /other/page");
        }
        RecordedRequest atWeb = other.take();
        assertThat(atWeb.getHeaders().get("X-Gateway")).isEqualTo("sb");
    }

    @Test
    void rootRewrite_reachesTheBackendAsOwa_withQueryKept() throws IOException {
        try (Response r = get("/?a=b")) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).endsWith(" /owa/?a=b");
        }
    }

    @Test
    void activeCookie_isInsertedOnTheFirstResponse_andTheNextRequestsStick() throws IOException {
        String cookie;
        String first;
        try (Response r = get("/owa/")) {
            first = r.header("X-Backend");
            List<String> setCookies = r.headers("Set-Cookie");
            assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("SBSRV="));
            cookie = setCookies.stream().filter(c -> c.startsWith("SBSRV=")).findFirst().orElseThrow();
            cookie = cookie.substring(0, cookie.indexOf(';'));
        }
        for (int i = 0; i < 6; i++) {
            try (Response r = get("/owa/n" + i, "Cookie", cookie)) {
                assertThat(r.header("X-Backend")).isEqualTo(first);
            }
        }
    }

    @Test
    void keepAlive_reusesUpstreamConnections() throws IOException {
        for (int i = 0; i < 10; i++) {
            try (Response r = get("/x" + i)) {
                assertThat(r.body().string()).isEqualTo("web /x" + i);
            }
        }
        Set<Integer> connections = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            connections.add(other.take().getConnectionIndex());
        }
        assertThat(connections).hasSize(1);
        assertThat(gateway.proxy.channels().upstreamConnectionsOpened()).isEqualTo(1);
    }

    @Test
    void forwardedHeaders_fromAnUntrustedPeer_replaceIncomingOnes() throws IOException {
        try (Response r = get("/fwd", "X-Forwarded-For", "6.6.6.6", "Forwarded", "for=6.6.6.6",
                "X-Forwarded-Proto", "https", "Host", "www.example.test")) {
            assertThat(r.code()).isEqualTo(200);
        }
        RecordedRequest seen = other.take();
        assertThat(seen.getHeaders().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.getHeaders().get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.getHeaders().get("X-Forwarded-Host")).isEqualTo("www.example.test");
        assertThat(seen.getHeaders().get("Forwarded")).isEqualTo("for=127.0.0.1;host=\"www.example.test\";proto=http");
        assertThat(seen.getHeaders().get("Host")).isEqualTo("www.example.test");
    }

    @Test
    void forwardedHeaders_fromATrustedProxy_areAppendedTo() throws IOException {
        try (ProxyFixture trusting = ProxyFixture.start(VirtualService.builder("edge").listen("127.0.0.1:8080")
                .protocol(Protocol.HTTP).subService(SubService.builder("pool").asDefault()
                        .realServer(RealServer.of("web", other.address())).build()),
                b -> b.trustedProxies(List.of(Cidr.parse("127.0.0.0/8"))))) {
            Request r = new Request.Builder().url(trusting.url("/t")).header("X-Forwarded-For", "203.0.113.7")
                    .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "shop.example.test")
                    .header("Forwarded", "for=203.0.113.7;proto=https").build();
            try (Response response = client.newCall(r).execute()) {
                assertThat(response.code()).isEqualTo(200);
            }
        }
        RecordedRequest seen = other.take();
        assertThat(seen.getHeaders().get("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(seen.getHeaders().get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(seen.getHeaders().get("X-Forwarded-Host")).isEqualTo("shop.example.test");
        assertThat(seen.getHeaders().get("Forwarded")).startsWith("for=203.0.113.7;proto=https, for=127.0.0.1;");
    }

    @Test
    void forwardedHeadersOff_leavesTheRequestAlone() throws IOException {
        try (ProxyFixture plain = ProxyFixture.start(VirtualService.builder("edge").listen("127.0.0.1:8080")
                .protocol(Protocol.HTTP).subService(SubService.builder("pool").asDefault()
                        .realServer(RealServer.of("web", other.address())).build()),
                b -> b.forwardedHeaders(false))) {
            try (Response response = client.newCall(new Request.Builder().url(plain.url("/p")).build()).execute()) {
                assertThat(response.code()).isEqualTo(200);
            }
        }
        RecordedRequest seen = other.take();
        assertThat(seen.getHeaders().get("X-Forwarded-For")).isNull();
        assertThat(seen.getHeaders().get("Forwarded")).isNull();
    }

    @Test
    void nothingEligible_is503WithRetryAfter_fromTheEngine() throws IOException {
        gateway.engine.setAdminState("ex01", AdminState.DISABLED, Duration.ZERO);
        gateway.engine.setAdminState("ex02", AdminState.DISABLED, Duration.ZERO);
        try (Response r = get("/owa/")) {
            assertThat(r.code()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isNotNull();
        }
        assertThat(owa1.server.getRequestCount() + owa2.server.getRequestCount()).isZero();
    }

    @Test
    void redirector_answersWithTheLocation() throws IOException {
        try (ProxyFixture redirector = ProxyFixture.start(VirtualService.builder("to-https").listen("127.0.0.1:8080")
                .protocol(Protocol.HTTP).redirect(new Redirect("https", "", 8443, 301)))) {
            Request r = new Request.Builder().url(redirector.url("/owa/?x=1")).header("Host", "mail.example.test")
                    .build();
            try (Response response = client.newCall(r).execute()) {
                assertThat(response.code()).isEqualTo(301);
                assertThat(response.header("Location")).startsWith("https://mail.example.test:8443/owa/");
            }
        }
    }

    @Test
    void responseRules_andHead_reachTheClient() throws IOException {
        try (Response r = client.newCall(new Request.Builder().url(gateway.url("/x")).head().build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Length")).isEqualTo("42");
        }
        try (Response r = get("/after-head")) {
            assertThat(r.body().string()).isEqualTo("web /after-head");
        }
    }
}
