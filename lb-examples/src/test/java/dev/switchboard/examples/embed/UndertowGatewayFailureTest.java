package dev.switchboard.examples.embed;

import dev.switchboard.api.testing.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.OutlierState;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.RealServerStats;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Undertow gateway when a real server is dead: upstream failures, outlier detection, active health checks. */
class UndertowGatewayFailureTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer blue;
    private String deadAddress;
    private UndertowGateway gateway;

    @BeforeEach
    void backends() throws Exception {
        blue = TinyBackend.start("blue");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadAddress = "127.0.0.1:" + taken.getLocalPort(); // closed again: connecting is refused
        }
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        blue.stop(0);
    }

    private void start(SubService.Builder api) {
        List<RealServer> pool = List.of(RealServer.of("blue", TinyBackend.address(blue)),
                RealServer.of("green", deadAddress));
        gateway = UndertowGateway.start(new InetSocketAddress("127.0.0.1", 0), LoadBalancer.builder()
                .virtualService(VirtualService.builder("web").subService(api.asDefault().realServers(pool).build())
                        .build()).build(), "web");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private RealServerStats stats(String server) {
        return gateway.engine().stats().findRealServer("web", "api", server).orElseThrow();
    }

    @Test
    void undertowGateway_deadRealServer_answers502_andReleasesTheLeaseAsAFailure() throws Exception {
        start(SubService.builder("api"));
        int bad = 0;
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = get("/api/" + i);
            assertThat(r.statusCode()).isIn(200, 502);
            bad += r.statusCode() == 502 ? 1 : 0;
        }
        assertThat(bad).as("round robin sends some to the dead one").isPositive();
        // a failure is released before the 502 is written; a success when Undertow ends the exchange, just after
        Eventually.until("every lease released", Duration.ofSeconds(10),
                () -> stats("green").activeConnections() + stats("blue").activeConnections() == 0);
        assertThat(stats("green").failures()).isEqualTo(bad);
        assertThat(stats("blue").failures()).isZero();
    }

    @Test
    void undertowGateway_outlierDetection_ejectsTheFailingServer_fromItsRealTraffic() throws Exception {
        start(SubService.builder("api").outlierDetection(OutlierDetection.builder().consecutiveFailures(2)
                .noFailureRate().baseEjectionTime(Duration.ofMinutes(5)).build()));
        for (int i = 0; i < 20 && stats("green").failures() < 2; i++) {
            get("/api/" + i);
        }
        Eventually.until("green ejected", Duration.ofSeconds(10), () -> stats("green").outlierState() == OutlierState.EJECTED);

        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = get("/api/after" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Real-Server")).hasValue("blue");
        }
        assertThat(stats("green").failures()).isEqualTo(2);
    }

    @Test
    void undertowGateway_activeHealthCheck_takesTheDownServerOutBeforeAnyRequest() throws Exception {
        start(SubService.builder("api")
                .healthCheck(HealthCheck.tcp().interval(Duration.ofMillis(200)).rise(1).fall(1).build()));
        Eventually.until("green down, blue up", Duration.ofSeconds(10), () -> stats("green").health() == Health.DOWN
                && stats("blue").health() == Health.UP && !stats("blue").healthReason().isEmpty());

        for (int i = 0; i < 6; i++) {
            assertThat(get("/api/" + i).headers().firstValue("X-Real-Server")).hasValue("blue");
        }
        assertThat(stats("green").totalRequests()).isZero();
        assertThat(stats("blue").health()).isEqualTo(Health.UP);
    }

}
