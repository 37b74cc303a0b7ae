package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.AuthMode;
import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.Authentication;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SingleSignOn;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.Authenticator;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.auth.LockoutPolicy;
import dev.switchboard.engine.auth.PreAuthentication;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.testing.Backend;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.netty.transport.NettyTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The login page of the proxy with an authenticator that answers on another thread: the form, its limits (method,
 * content type, size), a directory that cannot answer (503), a locked user (429), logout, and a Basic header on a
 * form virtual service that is wrong (back to the login page).
 */
class HttpProxyLoginPageTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final OkHttpClient client = new OkHttpClient.Builder().followRedirects(false)
            .retryOnConnectionFailure(false).readTimeout(10, TimeUnit.SECONDS).build();
    private final ExecutorService directory = Executors.newSingleThreadExecutor();
    private Backend backend;
    private DispatchEngine engine;
    private NettyTransport transport;
    private HttpProxy proxy;

    @BeforeEach
    void start() {
        backend = Backend.echo("ex01");
        SingleSignOn sso = SingleSignOn.builder().secret("0123456789abcdef0123456789abcdef-login-page").build();
        Authentication authentication = Authentication.builder().realm("mail").sso(sso).build();
        VirtualService vs = VirtualService.builder("mail").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .auth(AuthPolicy.of(AuthMode.FORM))
                .subService(SubService.builder("owa").asDefault()
                        .realServer(RealServer.of("ex01", backend.address())).build())
                .build();
        engine = DispatchEngine.create(LoadBalancer.builder().authentication(authentication).virtualService(vs)
                .build());
        transport = NettyTransport.create(2, true);
        proxy = HttpProxy.bind(transport, engine, ListenerSettings.builder("mail", Address.parse("127.0.0.1:0"),
                Protocol.HTTP).build());
        Authenticator authenticator = c -> CompletableFuture.supplyAsync(() -> c.user().equals("down")
                ? AuthenticationResult.unavailable("directory down")
                : c.user().equals("alice") && c.password().equals("right") ? AuthenticationResult.accepted("alice")
                : AuthenticationResult.rejected("wrong password"), directory);
        proxy.preAuthentication(PreAuthentication.builder(authenticator).authentication(authentication)
                .lockouts(new LockoutPolicy(2, 1_000, Duration.ofMinutes(15), Duration.ofMinutes(1),
                        Duration.ofMinutes(30), 1_000)).build());
    }

    @AfterEach
    void stop() {
        proxy.close(Duration.ZERO).join();
        engine.close();
        transport.close();
        directory.shutdownNow();
        backend.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + proxy.localAddress().getPort() + path;
    }

    /** The CSRF cookie ({@code SBCSRF=...}) and form token of a fresh login page. */
    private String[] form() throws Exception {
        try (Response r = client.newCall(new Request.Builder().url(url("/.switchboard/login?next=/owa/")).build())
                .execute()) {
            assertThat(r.code()).isEqualTo(200);
            Matcher m = CSRF.matcher(r.body().string());
            assertThat(m.find()).isTrue();
            String cookie = r.headers("Set-Cookie").stream().filter(c -> c.startsWith("SBCSRF=")).findFirst()
                    .orElseThrow();
            return new String[] {cookie.substring(0, cookie.indexOf(';')), m.group(1)};
        }
    }

    private Response login(String user, String password) throws Exception {
        String[] csrf = form();
        return client.newCall(new Request.Builder().url(url("/.switchboard/login")).header("Cookie", csrf[0])
                .post(new FormBody.Builder().add("username", user).add("password", password).add("csrf", csrf[1])
                        .add("next", "/owa/").build()).build()).execute();
    }

    @Test
    void rightPassword_303WithTheCookie_thenThePageIsServedAsTheUser() throws Exception {
        String sso;
        try (Response r = login("alice", "right")) {
            assertThat(r.code()).isEqualTo(303);
            assertThat(r.header("Location")).isEqualTo("/owa/");
            sso = r.headers("Set-Cookie").stream().filter(c -> c.startsWith("SBSSO=")).findFirst().orElseThrow();
        }
        try (Response page = client.newCall(new Request.Builder().url(url("/owa/"))
                .header("Cookie", sso.substring(0, sso.indexOf(';'))).build()).execute()) {
            assertThat(page.code()).isEqualTo(200);
            assertThat(page.body().string()).isEqualTo("ex01 /owa/");
        }
    }

    @Test
    void directoryUnavailable_is503WithRetryAfter() throws Exception {
        try (Response r = login("down", "any")) {
            assertThat(r.code()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("5");
            assertThat(r.body().string()).contains("Sign-in unavailable");
        }
    }

    @Test
    void repeatedFailures_lockTheUser_429() throws Exception {
        for (int i = 0; i < 2; i++) {
            try (Response r = login("mallory", "guess" + i)) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.body().string()).contains("not right");
            }
        }
        try (Response r = login("mallory", "guess")) {
            assertThat(r.code()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isNotEmpty();
        }
    }

    @Test
    void wrongMethodOrType_405And415() throws Exception {
        try (Response r = client.newCall(new Request.Builder().url(url("/.switchboard/login"))
                .put(RequestBody.create("x", MediaType.get("text/plain"))).build()).execute()) {
            assertThat(r.code()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD, POST");
        }
        try (Response r = client.newCall(new Request.Builder().url(url("/.switchboard/login"))
                .post(RequestBody.create("username=a", MediaType.get("text/plain"))).build()).execute()) {
            assertThat(r.code()).isEqualTo(415);
        }
    }

    @Test
    void chunkedFormOverTheLimit_is413AndTheConnectionCloses() throws Exception {
        try (RawClient raw = RawClient.connect(proxy.localAddress().getPort())) {
            String chunk = "a".repeat(4_096);
            StringBuilder req = new StringBuilder("POST /.switchboard/login HTTP/1.1\r\nHost: mail\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }
            raw.send(req.append("0\r\n\r\n").toString());
            String head = raw.readHead();
            assertThat(RawClient.status(head)).isEqualTo(413);
            assertThat(head).containsIgnoringCase("connection: close");
            assertThat(raw.readBody(RawClient.contentLength(head))).startsWith("Content Too Large");
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void logout_clearsTheCookie() throws Exception {
        try (Response r = client.newCall(new Request.Builder().url(url("/.switchboard/logout")).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("SBSSO=;")
                    .contains("Max-Age=0"));
        }
    }

    @Test
    void wrongBasicOnAFormService_goesBackToTheLoginPage() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("alice:wrong".getBytes(StandardCharsets.UTF_8));
        try (Response r = client.newCall(new Request.Builder().url(url("/owa/")).header("Authorization", basic)
                .build()).execute()) {
            assertThat(r.code()).isEqualTo(302);
            assertThat(r.header("Location")).isEqualTo("/.switchboard/login?next=%2Fowa%2F");
        }
        assertThat(backend.server.getRequestCount()).isZero();
    }
}
