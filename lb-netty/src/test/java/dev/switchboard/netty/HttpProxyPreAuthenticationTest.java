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
import dev.switchboard.api.spi.Credentials;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Basic pre-authentication through the proxy, with an authenticator that answers on another thread: the
 * challenge, the user let through (and the credentials kept from the real server), wrong credentials, a directory
 * that cannot answer, a locked user, a request body that waits whole while a slow check runs, and 501 without a
 * pre-authentication.
 */
class HttpProxyPreAuthenticationTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-netty-auth";

    private final OkHttpClient client = new OkHttpClient.Builder().followRedirects(false)
            .retryOnConnectionFailure(false).readTimeout(10, TimeUnit.SECONDS).build();
    private final ExecutorService directory = Executors.newSingleThreadExecutor();
    private final AtomicInteger checks = new AtomicInteger();
    private final CompletableFuture<Void> slowGate = new CompletableFuture<>();
    private Backend backend;
    private DispatchEngine engine;
    private NettyTransport transport;
    private HttpProxy proxy;

    /** alice/right is accepted; "down" is unavailable; "slow" waits for the test's gate; the rest is rejected. */
    private CompletionStage<AuthenticationResult> authenticate(Credentials c) {
        checks.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> {
            if (c.user().equals("slow")) {
                slowGate.join();
                return AuthenticationResult.accepted("slow");
            }
            if (c.user().equals("down")) {
                return AuthenticationResult.unavailable("directory down");
            }
            return c.user().equals("alice") && c.password().equals("right") ? AuthenticationResult.accepted("alice")
                    : AuthenticationResult.rejected("wrong password");
        }, directory);
    }

    @BeforeEach
    void start() {
        backend = Backend.answering("ex01", r -> new mockwebserver3.MockResponse.Builder().code(200)
                .body("user=" + r.getHeaders().get("X-Authenticated-User") + " auth="
                        + r.getHeaders().get("Authorization") + " body="
                        + (r.getBody() == null ? "" : r.getBody().utf8())).build());
        SingleSignOn sso = SingleSignOn.builder().secret(SECRET).build();
        Authentication authentication = Authentication.builder().realm("mail").sso(sso).build();
        VirtualService vs = VirtualService.builder("mail").listen("127.0.0.1:8080").protocol(Protocol.HTTP)
                .auth(AuthPolicy.of(AuthMode.BASIC))
                .subService(SubService.builder("eas").asDefault()
                        .realServer(RealServer.of("ex01", backend.address())).build())
                .build();
        engine = DispatchEngine.create(LoadBalancer.builder().authentication(authentication).virtualService(vs)
                .build());
        transport = NettyTransport.create(2, true);
        proxy = HttpProxy.bind(transport, engine, ListenerSettings.builder("mail", Address.parse("127.0.0.1:0"),
                Protocol.HTTP).build());
        Authenticator authenticator = this::authenticate;
        proxy.preAuthentication(PreAuthentication.builder(authenticator).authentication(authentication)
                .lockouts(new LockoutPolicy(2, 1_000, Duration.ofMinutes(15), Duration.ofMinutes(1),
                        Duration.ofMinutes(30), 1_000))
                .recorder(engine.authenticationRecorder()).build());
    }

    @AfterEach
    void stop() {
        slowGate.complete(null);
        proxy.close(Duration.ZERO).join();
        engine.close();
        transport.close();
        directory.shutdownNow();
        backend.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + proxy.localAddress().getPort() + path;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    private Response get(String authorization) throws Exception {
        Request.Builder b = new Request.Builder().url(url("/Microsoft-Server-ActiveSync"));
        if (!authorization.isEmpty()) {
            b.header("Authorization", authorization);
        }
        return client.newCall(b.build()).execute();
    }

    @Test
    void noCredentials_is401WithTheRealm() throws Exception {
        try (Response r = get("")) {
            assertThat(r.code()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"mail\", charset=\"UTF-8\"");
        }
        assertThat(backend.server.getRequestCount()).isZero();
    }

    @Test
    void rightCredentials_reachTheServerAsTheUserWithoutTheAuthorizationHeader() throws Exception {
        try (Response r = client.newCall(new Request.Builder().url(url("/Microsoft-Server-ActiveSync"))
                .header("Authorization", basic("alice", "right")).header("X-Authenticated-User", "admin")
                .build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).isEqualTo("user=alice auth=null body=");
            assertThat(r.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("SBSSO="));
        }
        try (Response again = get(basic("alice", "right"))) {
            assertThat(again.code()).isEqualTo(200);
        }
        assertThat(checks.get()).as("the second request came from the check cache").isEqualTo(1);
    }

    @Test
    void wrongCredentials_areChallengedAgain() throws Exception {
        try (Response r = get(basic("alice", "wrong"))) {
            assertThat(r.code()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Basic realm=\"mail\"");
        }
        assertThat(backend.server.getRequestCount()).isZero();
    }

    @Test
    void directoryUnavailable_is503WithRetryAfter() throws Exception {
        try (Response r = get(basic("down", "any"))) {
            assertThat(r.code()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("5");
        }
    }

    @Test
    void lockedUser_is429WithRetryAfterAndTheDirectoryIsNotAsked() throws Exception {
        for (int i = 0; i < 2; i++) {
            try (Response r = get(basic("mallory", "guess" + i))) {
                assertThat(r.code()).isEqualTo(401);
            }
        }
        try (Response r = get(basic("mallory", "guess"))) {
            assertThat(r.code()).isEqualTo(429);
            assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 60L);
        }
        assertThat(checks.get()).isEqualTo(2);
    }

    @Test
    void bodyDuringASlowCheck_arrivesWhole() throws Exception {
        String body = "x".repeat(20_000) + "end";
        try (RawClient raw = RawClient.connect(proxy.localAddress().getPort())) {
            raw.send("POST /Microsoft-Server-ActiveSync?Cmd=Sync HTTP/1.1\r\nHost: mail\r\nAuthorization: "
                    + basic("slow", "pw") + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body);
            assertThat(raw.silentFor(200)).as("no answer while the check runs").isTrue();
            slowGate.complete(null);
            String head = raw.readHead();
            assertThat(RawClient.status(head)).isEqualTo(200);
            assertThat(raw.readBody(RawClient.contentLength(head))).isEqualTo("user=slow auth=null body=" + body);
            raw.send("GET /next HTTP/1.1\r\nHost: mail\r\nAuthorization: " + basic("slow", "pw") + "\r\n\r\n");
            String second = raw.readHead();
            assertThat(RawClient.status(second)).as("the connection is kept alive").isEqualTo(200);
        }
    }

    @Test
    void withoutPreAuthentication_basicCredentialsAre501() throws Exception {
        proxy.channels().noPreAuthentication();
        try (Response r = get(basic("alice", "right"))) {
            assertThat(r.code()).isEqualTo(501);
        }
        assertThat(backend.server.getRequestCount()).isZero();
    }

    @Test
    void postWithCredentials_bodyForwarded() throws Exception {
        try (Response r = client.newCall(new Request.Builder().url(url("/Microsoft-Server-ActiveSync"))
                .header("Authorization", basic("alice", "right"))
                .post(RequestBody.create("ping", MediaType.get("text/plain"))).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).isEqualTo("user=alice auth=null body=ping");
        }
        RecordedRequest seen = backend.take();
        assertThat(seen.getHeaders().get("X-Authenticated-User")).isEqualTo("alice");
    }
}
