package dev.switchboard.examples.embed;

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
import java.util.HashSet;
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
        blue.stop(0);
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
        assertThat(stats().activeConnections()).isZero();
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
        assertThat(stats().activeConnections()).isZero();
        assertThat(gateway.engine().stats().findRealServer("web", "api", "green").orElseThrow().failures())
                .isEqualTo(bad);
        assertThat(gateway.engine().stats().findRealServer("web", "api", "blue").orElseThrow().failures()).isZero();
    }
}
