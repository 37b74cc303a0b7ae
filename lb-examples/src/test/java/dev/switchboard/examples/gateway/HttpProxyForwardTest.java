package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.io.IOException;
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
        assertThat(gateway.proxy.upstreamPool().connectionsOpened()).isEqualTo(1);
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
}
