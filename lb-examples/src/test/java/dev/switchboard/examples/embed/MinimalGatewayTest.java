package dev.switchboard.examples.embed;

import dev.switchboard.api.testing.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.engine.SubServiceStats;
import dev.switchboard.engine.VirtualServiceStats;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MinimalGatewayTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer blue;
    private HttpServer green;
    private MinimalGateway gateway;

    @AfterEach
    void tearDown() {
        gateway.close();
        if (blue != null) {
            blue.stop(0);
        }
        if (green != null) {
            green.stop(0);
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private VirtualServiceStats stats() {
        return gateway.engine().stats().findVirtualService("web").orElseThrow();
    }

    private SubServiceStats sub(String name) {
        return stats().subServices().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void requests_areRoutedByPrefix_roundRobin_cookiePersistent_andEveryLeaseIsReleased() throws Exception {
        blue = TinyBackend.start("blue");
        green = TinyBackend.start("green");
        gateway = MinimalGateway.start(new InetSocketAddress("127.0.0.1", 0), TinyBackend.address(blue),
                TinyBackend.address(green));

        // round robin is striped per thread in the engine, and the JDK server hands requests to a pool of threads:
        // consecutive requests need not alternate, but the pool's first requests take distinct stripes
        Set<String> apiServers = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = get("/api/hello?n=" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).endsWith(" /api/hello?n=" + i + "\n");
            apiServers.add(r.headers().firstValue("X-Real-Server").orElseThrow());
        }
        assertThat(apiServers).as("round robin").containsExactlyInAnyOrder("blue", "green");

        HttpResponse<String> first = get("/app/");
        assertThat(first.statusCode()).isEqualTo(200);
        String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("SBSRV=");
        String server = first.headers().firstValue("X-Real-Server").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> again = get("/app/page" + i, "Cookie", cookie);
            assertThat(again.headers().firstValue("X-Real-Server")).as("persistent").hasValue(server);
        }

        HttpResponse<String> none = get("/elsewhere");
        assertThat(none.statusCode()).isEqualTo(404);
        awaitNoLease();
        assertThat(sub("api").totalRequests()).isEqualTo(8);
        assertThat(sub("app").totalRequests()).isEqualTo(5);
    }

    @Test
    void deadRealServer_answers502_andTheLeaseIsReleasedAsAFailure() throws Exception {
        blue = TinyBackend.start("blue");
        int deadPort;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = taken.getLocalPort();
        }
        gateway = MinimalGateway.start(new InetSocketAddress("127.0.0.1", 0), TinyBackend.address(blue),
                "127.0.0.1:" + deadPort);
        int bad = 0;
        for (int i = 0; i < 8; i++) {
            int status = get("/api/x").statusCode();
            assertThat(status).isIn(200, 502);
            bad += status == 502 ? 1 : 0;
        }
        assertThat(bad).isPositive();
        awaitNoLease();
        assertThat(gateway.engine().stats().findRealServer("web", "api", "green").orElseThrow().failures())
                .isEqualTo(bad);
        assertThat(gateway.engine().stats().findRealServer("web", "api", "blue").orElseThrow().failures()).isZero();
    }

    @Test
    void requestsWithTheRealServers_holdNoGatewayThread_andAllReachThem() throws Exception {
        try (HeldBackend slowBlue = new HeldBackend("blue"); HeldBackend slowGreen = new HeldBackend("green")) {
            gateway = MinimalGateway.start(new InetSocketAddress("127.0.0.1", 0), slowBlue.address(),
                    slowGreen.address());
            // the gateway has two threads: a design that waits for the real server would let only two through
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/" + i))
                        .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            Eventually.until("all six at the real servers at once", Duration.ofSeconds(10),
                    () -> slowBlue.unawaitedArrivals() + slowGreen.unawaitedArrivals() >= 6);
            assertThat(stats().activeConnections()).isEqualTo(6);
            slowBlue.release();
            slowGreen.release();
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                assertThat(a.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            awaitNoLease();
        }
    }

    @Test
    void forward_sendsTheBody_andForwardedHeaders_withoutHopByHop() throws Exception {
        try (MockWebServer real = new MockWebServer()) {
            real.start(InetAddress.getLoopbackAddress(), 0);
            real.enqueue(new MockResponse.Builder().code(201).addHeader("Keep-Alive", "timeout=5").body("ok").build());
            gateway = MinimalGateway.start(new InetSocketAddress("127.0.0.1", 0), "127.0.0.1:" + real.getPort(),
                    "127.0.0.1:" + real.getPort());

            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/items?id=7"))
                    .header("X-Forwarded-For", "203.0.113.9").header("X-Kept", "yes")
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.body()).isEqualTo("ok");
            assertThat(r.headers().firstValue("Keep-Alive")).isEmpty();
            RecordedRequest seen = real.takeRequest(5, TimeUnit.SECONDS);
            assertThat(seen.getRequestLine()).isEqualTo("POST /api/items?id=7 HTTP/1.1");
            assertThat(seen.getBody().utf8()).isEqualTo("hello");
            assertThat(seen.getHeaders().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
            assertThat(seen.getHeaders().get("X-Forwarded-Host")).isEqualTo(URI.create(gateway.url()).getAuthority());
            assertThat(seen.getHeaders().get("X-Kept")).isEqualTo("yes");
            assertThat(seen.getHeaders().get("Upgrade")).as("the test client's h2c offer").isNull();
            awaitNoLease();
        }
    }

    /** The gateway releases a lease after the answer is written, so the client may see it a moment before. */
    private void awaitNoLease() {
        Eventually.until("every lease released", Duration.ofSeconds(10), () -> stats().activeConnections() == 0);
    }
}
