package dev.switchboard.examples.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.Address;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.examples.gateway.Gateway;
import dev.switchboard.micrometer.testing.PrometheusText;
import dev.switchboard.micrometer.testing.Promtool;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.transport.NettyTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on the admin listener of a whole gateway, after real HTTP traffic through it to a real
 * backend that answers the status the path names: the scrape is read with a strict reader of the format (and
 * {@code promtool check metrics} where installed), and its counts, classes and histogram counts are those of the
 * requests sent.
 */
class AdminMetricsTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private HttpServer backend;
    private Gateway gateway;

    @BeforeEach
    void start() throws IOException {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath(); // /app/status/NNN
                int status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
                byte[] body = ("status " + status + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        backend.start();
        VirtualService web = VirtualService.builder("web").listen("127.0.0.1:0").protocol(Protocol.HTTP)
                .subService(SubService.builder("app").matchAny(ContentRule.pathPrefix("/app"))
                        .realServer(RealServer.of("be1", "127.0.0.1:" + backend.getAddress().getPort())).build())
                .build(); // no default sub-service: any other path is the engine's 404
        gateway = Gateway.start(new GatewayConfig(AdminSettings.of(Address.parse("127.0.0.1:0"), ""),
                LoadBalancer.builder().virtualService(web).build(),
                List.of(ListenerSettings.builder("web", Address.parse("127.0.0.1:0"), Protocol.HTTP)
                        .accessLog(false).build())));
    }

    @AfterEach
    void stop() {
        gateway.stop(Duration.ofSeconds(1)).join();
        backend.stop(0);
    }

    private static String hostPort(InetSocketAddress a) {
        return "127.0.0.1:" + a.getPort();
    }

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (headers.length > 0) {
            r.headers(headers);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String web(String path) {
        return "http://" + hostPort(gateway.address("web")) + path;
    }

    private String admin(String path) {
        return "http://" + hostPort(gateway.findAdminAddress().orElseThrow()) + path;
    }

    /** 5 × 200, 3 × 404, 2 × 500 from the backend; 2 × the engine's own 404. */
    private void traffic() throws Exception {
        int[] statuses = {200, 404, 200, 500, 200, 404, 200, 500, 404, 200};
        for (int s : statuses) {
            assertThat(get(web("/app/status/" + s)).statusCode()).isEqualTo(s);
        }
        assertThat(get(web("/nowhere")).statusCode()).isEqualTo(404);
        assertThat(get(web("/else")).statusCode()).isEqualTo(404);
    }

    private static final Map<String, String> BE1 =
            Map.of("virtual_service", "web", "sub_service", "app", "real_server", "be1");

    private static void countsMatchTraffic(PrometheusText text) {
        assertThat(text.value("switchboard_requests_total", BE1)).isEqualTo(10);
        assertThat(responses(text, "2xx")).isEqualTo(5);
        assertThat(responses(text, "4xx")).isEqualTo(3);
        assertThat(responses(text, "5xx")).isEqualTo(2);
        assertThat(responses(text, "1xx") + responses(text, "3xx")).isZero();
        assertThat(text.value("switchboard_request_duration_seconds_count", BE1)).isEqualTo(10);
        assertThat(text.value("switchboard_request_duration_seconds_bucket", with("le", "+Inf"))).isEqualTo(10);
        assertThat(text.value("switchboard_time_to_first_byte_seconds_count", BE1)).isEqualTo(10);
        assertThat(text.value("switchboard_request_duration_seconds_sum", BE1)).isPositive();
        assertThat(text.value("switchboard_virtual_service_answers_total",
                Map.of("virtual_service", "web", "answer", "not_found"))).isEqualTo(2);
        assertThat(text.value("switchboard_virtual_service_requests_total", Map.of("virtual_service", "web")))
                .isEqualTo(12);
        assertThat(text.value("switchboard_active_connections", BE1)).isZero();
        assertThat(text.value("switchboard_sent_bytes_total", BE1)).isPositive();
    }

    private static double responses(PrometheusText text, String statusClass) {
        return text.value("switchboard_responses_total", with("class", statusClass));
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(BE1);
        m.put(key, value);
        return m;
    }

    @Test
    void metrics_afterTraffic_prometheusTextWithTheCountsSentAndJvmAndNettyMeters() throws Exception {
        traffic();
        HttpResponse<String> scrape = get(admin("/metrics"));
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).contains(MetricsRoute.PROMETHEUS_TYPE);
        PrometheusText text = PrometheusText.parse(scrape.body(), false);
        countsMatchTraffic(text);
        assertThat(text.types()).containsKeys("jvm_memory_used_bytes", "jvm_threads_live_threads",
                "jvm_gc_memory_allocated_bytes_total", "netty_eventexecutor_tasks_pending",
                "netty_allocator_memory_used");
        assertThat(text.samples("netty_eventexecutor_tasks_pending")).isNotEmpty();
        // both event loop groups are there, apart (one untagged gauge for two groups was refused with a warning)
        assertThat(text.samples("netty_eventexecutor_workers")).extracting(s -> s.labels().get("group"))
                .containsExactlyInAnyOrder("acceptors", "workers");
    }

    @Test
    void metrics_openMetricsAccepted_answersOpenMetricsWithTheSameCounts() throws Exception {
        traffic();
        HttpResponse<String> scrape = get(admin("/metrics"),
                "Accept", "application/openmetrics-text; version=1.0.0,text/plain;q=0.5");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).contains(MetricsRoute.OPENMETRICS_TYPE);
        PrometheusText text = PrometheusText.parse(scrape.body(), true);
        countsMatchTraffic(text);
    }

    @Test
    void metrics_promtoolCheck_acceptsTheScrape() throws Exception {
        Optional<Promtool> promtool = Promtool.find();
        assumeTrue(promtool.isPresent(),
                "promtool not installed (Debian package prometheus; .ci/promtool-setup): skipped");
        traffic();
        Promtool.Check check = promtool.get().checkMetrics(get(admin("/metrics")).body());
        assertThat(check.parses()).as(check.output()).isTrue();
        // the linter's remarks on Micrometer's own JVM and Netty meters (no help text, "_ns") are theirs; ours: none
        assertThat(check.remarksAbout("switchboard_")).as(check.output()).isEmpty();
    }

    @Test
    void metrics_otherMethod_is405() throws Exception {
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(admin("/metrics")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void metrics_withToken_refusedWithoutIt() throws Exception {
        try (NettyTransport transport = NettyTransport.create(1, true)) {
            TestGateway control = new TestGateway().withTraffic();
            AdminServer server = AdminServer.bind(transport, control,
                    AdminSettings.of(Address.parse("127.0.0.1:0"), "s3cret-token-for-metrics"));
            try {
                String url = "http://" + hostPort(server.localAddress()) + "/metrics";
                assertThat(get(url).statusCode()).isEqualTo(401);
                assertThat(get(url, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
                HttpResponse<String> ok = get(url, "Authorization", "Bearer s3cret-token-for-metrics");
                assertThat(ok.statusCode()).isEqualTo(200);
                PrometheusText text = PrometheusText.parse(ok.body(), false);
                assertThat(text.value("switchboard_requests_total",
                        Map.of("virtual_service", "mail", "sub_service", "owa", "real_server", "ex01"))).isEqualTo(3);
            } finally {
                server.close(Duration.ZERO).join();
                control.engine().close();
            }
        }
    }
}
