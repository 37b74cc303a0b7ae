package dev.switchboard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.micrometer.testing.PrometheusText;
import dev.switchboard.micrometer.testing.Promtool;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The binder against a real {@link PrometheusMeterRegistry}, with traffic dispatched through a real engine and
 * released with known outcomes: every count, class and histogram read from the scraped text is compared with what
 * was sent.
 */
class SwitchboardMetricsTest {

    private static final long MS = 1_000_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private DispatchEngine engine;
    private SwitchboardMetrics metrics;

    @AfterEach
    void close() {
        if (metrics != null) {
            metrics.close();
        }
        if (engine != null) {
            engine.close();
        }
        registry.close();
    }

    private static RealServer server(String name, int octet) {
        return RealServer.builder(name, "10.0.0." + octet + ":80").build();
    }

    /** web: app (/app, a and b round robin), sticky (/sticky, source-ip), down (/down, c disabled); no default. */
    private static LoadBalancer model(boolean withB, boolean withDown) {
        SubService.Builder app = SubService.builder("app").match(ContentMatch.any(ContentRule.pathPrefix("/app")))
                .realServer(server("a", 1));
        if (withB) {
            app.realServer(server("b", 2));
        } else {
            app.realServer(server("d", 4));
        }
        VirtualService.Builder vs = VirtualService.builder("web").scheduling(SchedulingMethod.ROUND_ROBIN)
                .requestRule(HeaderRule.deny(403).when(ContentMatch.any(ContentRule.pathPrefix("/admin"))))
                .subService(app.build())
                .subService(SubService.builder("sticky").match(ContentMatch.any(ContentRule.pathPrefix("/sticky")))
                        .persistence(Persistence.of(PersistenceMode.SOURCE_IP)).realServer(server("s", 5)).build());
        if (withDown) {
            vs.subService(SubService.builder("down").match(ContentMatch.any(ContentRule.pathPrefix("/down")))
                    .realServer(RealServer.builder("c", "10.0.0.3:80").initialState(AdminState.DISABLED).build())
                    .build());
        }
        return LoadBalancer.builder().virtualService(vs.build()).build();
    }

    private void start(LoadBalancer model, Function<DispatchEngine, SwitchboardMetrics> binder) {
        engine = DispatchEngine.builder(model).stripes(1).build();
        metrics = binder.apply(engine);
        metrics.bindTo(registry);
    }

    private Decision dispatch(String target) {
        return dispatch(target, "192.0.2.1");
    }

    private Decision dispatch(String target, String client) {
        try {
            return engine.dispatch("web", HttpRequest.builder().authority("web.example").target(target)
                    .source(InetAddress.getByName(client)).build());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Decision.Forward forward(Decision d) {
        assertThat(d).isInstanceOf(Decision.Forward.class);
        return (Decision.Forward) d;
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(registry.scrape(), false);
    }

    private static Map<String, String> at(String sub, String server) {
        return Map.of("virtual_service", "web", "sub_service", sub, "real_server", server);
    }

    /** The outcomes released on a and b, in dispatch order (round robin: a, b, a, b ...). */
    private static final List<Outcome> OUTCOMES = List.of(
            new Outcome(200, Outcome.Failure.NONE, 3 * MS, 100, 1000, 2 * MS),
            new Outcome(200, Outcome.Failure.NONE, 30 * MS, 100, 2000, 20 * MS),
            new Outcome(404, Outcome.Failure.NONE, 7 * MS, 100, 300, 6 * MS),
            new Outcome(503, Outcome.Failure.NONE, 300 * MS, 100, 50, 290 * MS),
            new Outcome(0, Outcome.Failure.CONNECT, 1 * MS, 0, 0),
            new Outcome(101, Outcome.Failure.NONE, 2_000 * MS, 500, 700, 4 * MS),
            new Outcome(502, Outcome.Failure.RESET, 40 * MS, 100, 0, 40 * MS),
            new Outcome(0, Outcome.Failure.TIMEOUT, 12_000 * MS, 100, 0));

    @Test
    void scrape_trafficThroughTheEngine_countsClassesAndHistogramsMatchWhatWasSent() throws Exception {
        start(model(true, true), SwitchboardMetrics::of);
        for (Outcome o : OUTCOMES) {
            forward(dispatch("/app/page")).release(o);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(dispatch("/down/x")).isInstanceOf(Decision.Respond.class); // c is disabled: 503
        }
        dispatch("/nowhere");
        dispatch("/nowhere/else"); // no sub-service, no default: 404
        dispatch("/admin/x"); // deny 403
        dispatch("/a%2Fb"); // an encoded slash: 400
        forward(dispatch("/sticky", "192.0.2.7")).release(Outcome.ofStatus(200, MS)); // miss, then recorded
        forward(dispatch("/sticky", "192.0.2.7")).release(Outcome.ofStatus(200, MS)); // hit
        Decision.Forward open = forward(dispatch("/app/open")); // a, not released yet

        PrometheusText text = scrape();
        assertThat(text.value("switchboard_requests_total", at("app", "a"))).isEqualTo(5);
        assertThat(text.value("switchboard_requests_total", at("app", "b"))).isEqualTo(4);
        assertThat(text.value("switchboard_active_connections", at("app", "a"))).isEqualTo(1);
        assertThat(text.value("switchboard_active_connections", at("app", "b"))).isEqualTo(0);
        // a got outcomes 0, 2, 4, 6; b got 1, 3, 5, 7
        assertThat(classes(text, "a")).containsExactly(0.0, 1.0, 0.0, 1.0, 1.0);
        assertThat(classes(text, "b")).containsExactly(1.0, 1.0, 0.0, 0.0, 1.0);
        assertThat(text.value("switchboard_failures_total", Map.of("real_server", "a", "kind", "connect")))
                .isEqualTo(1);
        assertThat(text.value("switchboard_failures_total", Map.of("real_server", "a", "kind", "reset")))
                .isEqualTo(1);
        assertThat(text.value("switchboard_failures_total", Map.of("real_server", "b", "kind", "timeout")))
                .isEqualTo(1);
        assertThat(text.value("switchboard_failures_total", Map.of("real_server", "b", "kind", "connect")))
                .isEqualTo(0);
        assertThat(text.value("switchboard_received_bytes_total", at("app", "a"))).isEqualTo(300);
        assertThat(text.value("switchboard_sent_bytes_total", at("app", "b"))).isEqualTo(2750);

        // histograms: one observation per release; time to first byte only where a response came
        assertThat(text.value("switchboard_request_duration_seconds_count", at("app", "a"))).isEqualTo(4);
        assertThat(text.value("switchboard_request_duration_seconds_count", at("app", "b"))).isEqualTo(4);
        assertThat(text.value("switchboard_request_duration_seconds_bucket", bucket("a", "0.005"))).isEqualTo(2);
        assertThat(text.value("switchboard_request_duration_seconds_bucket", bucket("a", "0.05"))).isEqualTo(4);
        assertThat(text.value("switchboard_request_duration_seconds_bucket", bucket("b", "0.05"))).isEqualTo(1);
        assertThat(text.value("switchboard_request_duration_seconds_bucket", bucket("b", "10.0"))).isEqualTo(3);
        assertThat(text.value("switchboard_request_duration_seconds_bucket", bucket("b", "+Inf"))).isEqualTo(4);
        assertThat(text.value("switchboard_request_duration_seconds_sum", at("app", "b")))
                .isCloseTo(14.33, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(text.value("switchboard_time_to_first_byte_seconds_count", at("app", "a"))).isEqualTo(3);
        assertThat(text.value("switchboard_time_to_first_byte_seconds_count", at("app", "b"))).isEqualTo(3);
        assertThat(text.value("switchboard_time_to_first_byte_seconds_bucket", bucket("b", "0.005"))).isEqualTo(1);

        // the engine's own answers, and totals
        assertThat(text.value("switchboard_sub_service_answers_total",
                Map.of("sub_service", "down", "answer", "unavailable"))).isEqualTo(3);
        assertThat(text.value("switchboard_sub_service_requests_total", Map.of("sub_service", "down")))
                .isEqualTo(3);
        assertThat(text.value("switchboard_sub_service_state", Map.of("sub_service", "down", "state", "up")))
                .isEqualTo(1); // no minimum of healthy servers: up, with nothing eligible
        assertThat(text.value("switchboard_sub_service_healthy_servers", Map.of("sub_service", "down")))
                .isEqualTo(0);
        assertThat(text.value("switchboard_sub_service_healthy_servers", Map.of("sub_service", "app")))
                .isEqualTo(2);
        assertThat(vsAnswer(text, "not_found")).isEqualTo(2);
        assertThat(vsAnswer(text, "denied")).isEqualTo(1);
        assertThat(vsAnswer(text, "bad_request")).isEqualTo(1);
        assertThat(vsAnswer(text, "redirect")).isEqualTo(0);
        assertThat(text.value("switchboard_virtual_service_requests_total", Map.of("virtual_service", "web")))
                .isEqualTo(9 + 3 + 4 + 2);
        assertThat(text.value("switchboard_sub_service_persistence_lookups_total",
                Map.of("sub_service", "sticky", "result", "hit"))).isEqualTo(1);
        assertThat(text.value("switchboard_sub_service_persistence_lookups_total",
                Map.of("sub_service", "sticky", "result", "miss"))).isEqualTo(1);
        assertThat(text.value("switchboard_sub_service_persistence_entries", Map.of("sub_service", "sticky")))
                .isEqualTo(1);
        assertThat(text.value("switchboard_server_admin_state",
                Map.of("real_server", "c", "state", "disabled"))).isEqualTo(1);
        assertThat(text.value("switchboard_server_admin_state",
                Map.of("real_server", "c", "state", "enabled"))).isEqualTo(0);
        open.release(Outcome.ofStatus(200, MS));
        assertThat(scrape().value("switchboard_active_connections", at("app", "a"))).isEqualTo(0);
        promtoolAccepts(registry.scrape());
    }

    private static double[] classes(PrometheusText text, String server) {
        double[] out = new double[5];
        for (int c = 1; c <= 5; c++) {
            out[c - 1] = text.value("switchboard_responses_total", Map.of("real_server", server, "class", c + "xx"));
        }
        return out;
    }

    private static Map<String, String> bucket(String server, String le) {
        return Map.of("real_server", server, "le", le);
    }

    private static double vsAnswer(PrometheusText text, String answer) {
        return text.value("switchboard_virtual_service_answers_total",
                Map.of("virtual_service", "web", "answer", answer));
    }

    static void promtoolAccepts(String scrape) throws Exception {
        Optional<Promtool> promtool = Promtool.find();
        if (promtool.isEmpty()) {
            System.out.println("promtool not found (Debian package prometheus, .ci/promtool-setup): "
                    + "only the strict Java reader checked the format");
            return;
        }
        Promtool.Check check = promtool.get().checkMetrics(scrape);
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void reconfigure_keptEntriesKeepTheirMeters_removedOnesGo_newOnesCome() {
        start(model(true, true), SwitchboardMetrics::of);
        for (int i = 0; i < 6; i++) {
            forward(dispatch("/app/x")).release(Outcome.ofStatus(200, 2 * MS));
        }
        PrometheusText before = scrape();
        assertThat(before.value("switchboard_requests_total", at("app", "b"))).isEqualTo(3);

        engine.reconfigure(model(false, false)); // b and the sub-service "down" go, d comes
        PrometheusText after = scrape();
        assertThat(after.value("switchboard_requests_total", at("app", "a"))).isEqualTo(3);
        assertThat(after.value("switchboard_request_duration_seconds_count", at("app", "a"))).isEqualTo(3);
        assertThat(after.find("switchboard_requests_total", at("app", "b"))).isNull();
        assertThat(after.find("switchboard_request_duration_seconds_count", at("app", "b"))).isNull();
        assertThat(after.find("switchboard_sub_service_requests_total", Map.of("sub_service", "down"))).isNull();
        assertThat(after.find("switchboard_requests_total", at("down", "c"))).isNull();
        assertThat(after.value("switchboard_requests_total", at("app", "d"))).isEqualTo(0);

        for (int i = 0; i < 4; i++) {
            forward(dispatch("/app/x")).release(Outcome.ofStatus(200, 2 * MS));
        }
        PrometheusText later = scrape();
        assertThat(later.value("switchboard_requests_total", at("app", "a"))).isEqualTo(5);
        assertThat(later.value("switchboard_request_duration_seconds_count", at("app", "a"))).isEqualTo(5);
        assertThat(later.value("switchboard_requests_total", at("app", "d"))).isEqualTo(2);
        assertThat(later.value("switchboard_request_duration_seconds_count", at("app", "d"))).isEqualTo(2);

        engine.reconfigure(model(true, true)); // b comes back: a new server, counted afresh
        PrometheusText again = scrape();
        assertThat(again.value("switchboard_requests_total", at("app", "b"))).isEqualTo(0);
        assertThat(again.value("switchboard_request_duration_seconds_count", at("app", "b"))).isEqualTo(0);
        assertThat(again.value("switchboard_sub_service_requests_total", Map.of("sub_service", "down")))
                .isEqualTo(0);
    }

    @Test
    void builder_slos_areTheBucketsOfTheScrape() {
        start(model(true, true), e -> SwitchboardMetrics.builder(e)
                .serviceLevelObjectives(Duration.ofMillis(20), Duration.ofMillis(200)).build());
        for (int i = 0; i < 4; i++) {
            forward(dispatch("/app/x")).release(Outcome.ofStatus(200, (i + 1) * 10 * MS));
        }
        PrometheusText text = scrape();
        List<String> les = new ArrayList<>();
        for (PrometheusText.Sample s : text.samples("switchboard_request_duration_seconds_bucket")) {
            if (s.labels().get("real_server").equals("a")) {
                les.add(s.labels().get("le"));
            }
        }
        assertThat(les).containsExactly("0.02", "0.2", "+Inf");
        assertThat(text.value("switchboard_request_duration_seconds_bucket", bucket("a", "0.02"))).isEqualTo(1);
        assertThat(text.value("switchboard_request_duration_seconds_bucket", bucket("b", "0.02"))).isEqualTo(1);
        assertThat(text.value("switchboard_request_duration_seconds_bucket", bucket("b", "0.2"))).isEqualTo(2);
    }

    @Test
    void builder_percentilesWithoutBuckets_areASummaryWithQuantiles() throws Exception {
        start(model(true, true), e -> SwitchboardMetrics.builder(e).serviceLevelObjectives()
                .percentiles(0.5, 0.99).build());
        for (int i = 0; i < 4; i++) {
            forward(dispatch("/app/x")).release(Outcome.ofStatus(200, (i + 1) * 10 * MS));
        }
        PrometheusText text = scrape();
        assertThat(text.types()).containsEntry("switchboard_request_duration_seconds", "summary");
        assertThat(text.value("switchboard_request_duration_seconds", Map.of("real_server", "a", "quantile", "0.99")))
                .isBetween(0.025, 0.035); // a got 10 ms and 30 ms
        assertThat(text.value("switchboard_request_duration_seconds_count", at("app", "a"))).isEqualTo(2);
        promtoolAccepts(registry.scrape());
    }

    @Test
    void builder_badBounds_nameEveryIndex() {
        DispatchEngine e = DispatchEngine.create(model(true, true));
        try {
            assertThatThrownBy(() -> SwitchboardMetrics.builder(e)
                    .serviceLevelObjectives(Duration.ofMillis(5), Duration.ZERO, Duration.ofMillis(-1)))
                    .hasMessageContaining("serviceLevelObjectives[1]: PT0S (expected: a positive duration)")
                    .hasMessageContaining("serviceLevelObjectives[2]: PT-0.001S");
            assertThatThrownBy(() -> SwitchboardMetrics.builder(e).percentiles(0.5, 1.5, Double.NaN))
                    .hasMessageContaining("percentiles[1]: 1.5 (expected: 0..1)")
                    .hasMessageContaining("percentiles[2]: NaN");
        } finally {
            e.close();
        }
    }

    @Test
    void scrape_probesAndARedispatch_areCounted() {
        start(model(true, true), SwitchboardMetrics::of);
        assertThat(scrape().value("switchboard_probe_latency_seconds", at("app", "a"))).isNaN();
        engine.probed("web", "app", "a", true, 3 * MS);
        engine.probed("web", "app", "a", false, 250 * MS);
        assertThat(engine.probed("web", "app", "nobody", true, MS)).isFalse();
        forward(dispatch("/sticky", "192.0.2.8")).release(Outcome.ofStatus(200, MS)); // recorded on s
        Decision.Forward failed = forward(dispatch("/sticky", "192.0.2.8"));
        failed.release(Outcome.ofFailure(Outcome.Failure.CONNECT, MS));
        engine.retried(failed.target()); // the host sends it again
        PrometheusText text = scrape();
        assertThat(text.value("switchboard_probes_total", Map.of("real_server", "a", "result", "passed")))
                .isEqualTo(1);
        assertThat(text.value("switchboard_probes_total", Map.of("real_server", "a", "result", "failed")))
                .isEqualTo(1);
        assertThat(text.value("switchboard_probe_latency_seconds", at("app", "a"))).isEqualTo(0.25);
        assertThat(text.value("switchboard_sub_service_redispatches_total", Map.of("sub_service", "sticky")))
                .isEqualTo(1);
        assertThat(text.value("switchboard_sub_service_retries_total", Map.of("sub_service", "sticky")))
                .isEqualTo(1);
        assertThat(text.value("switchboard_sub_service_retries_total", Map.of("sub_service", "app"))).isZero();
        assertThat(text.value("switchboard_sub_service_persistence_entries", Map.of("sub_service", "sticky")))
                .isEqualTo(0); // the entry was dropped with the failed connection
        assertThat(text.value("switchboard_failures_total", Map.of("real_server", "s", "kind", "connect")))
                .isEqualTo(1);
    }

    @Test
    void bindTo_secondBindingOfTheEngine_isRefusedAndCloseUnbinds() {
        start(model(true, true), SwitchboardMetrics::of);
        SwitchboardMetrics second = SwitchboardMetrics.of(engine);
        PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        assertThatThrownBy(() -> second.bindTo(other)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one metrics binding per engine");
        metrics.close();
        assertThat(registry.getMeters()).isEmpty();
        second.bindTo(other); // free again
        forward(dispatch("/app/x")).release(Outcome.ofStatus(200, MS));
        assertThat(PrometheusText.parse(other.scrape(), false)
                .value("switchboard_request_duration_seconds_count", at("app", "a"))).isEqualTo(1);
        second.close();
        other.close();
    }
}
