package dev.switchboard.micrometer.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.micrometer.LatencySnapshot;
import dev.switchboard.micrometer.MeterNames;
import dev.switchboard.micrometer.SwitchboardMetrics;
import dev.switchboard.micrometer.testing.PrometheusText;
import dev.switchboard.micrometer.testing.Promtool;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The striped histograms published into a real {@link PrometheusMeterRegistry}'s scrape (found by
 * {@link java.util.ServiceLoader}), with traffic dispatched through a real engine and released with known
 * outcomes: types, buckets, counts and sums read from the scraped text, in both text formats, through
 * reconfiguration, unbinding and several threads.
 */
class PrometheusLatencyPublisherTest {

    private static final long MS = 1_000_000L;
    private static final String DURATION = "switchboard_request_duration_seconds";
    private static final String FIRST_BYTE = "switchboard_time_to_first_byte_seconds";

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

    /** web: app (/app: a, and b or d, round robin), api (/api: c). */
    private static LoadBalancer model(boolean withB) {
        return LoadBalancer.builder().virtualService(VirtualService.builder("web")
                .scheduling(SchedulingMethod.ROUND_ROBIN)
                .subService(SubService.builder("app").match(ContentMatch.any(ContentRule.pathPrefix("/app")))
                        .realServer(RealServer.builder("a", "10.0.0.1:80").build())
                        .realServer(withB ? RealServer.builder("b", "10.0.0.2:80").build()
                                : RealServer.builder("d", "10.0.0.4:80").build()).build())
                .subService(SubService.builder("api").match(ContentMatch.any(ContentRule.pathPrefix("/api")))
                        .realServer(RealServer.builder("c", "10.0.0.3:80").build()).build())
                .build()).build();
    }

    private void start(Function<DispatchEngine, SwitchboardMetrics> binder) {
        engine = DispatchEngine.builder(model(true)).stripes(1).build(); // round robin from a, on every thread
        metrics = binder.apply(engine);
        metrics.bindTo(registry);
    }

    private void release(String target, long totalMillis, long firstByteMillis) {
        Decision d = engine.dispatch("web", HttpRequest.builder().authority("web.example").target(target).build());
        assertThat(d).isInstanceOf(Decision.Forward.class);
        ((Decision.Forward) d).release(new Outcome(200, Outcome.Failure.NONE, totalMillis * MS, 10, 20,
                firstByteMillis * MS));
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(registry.scrape(), false);
    }

    private static Map<String, String> at(String sub, String server) {
        return Map.of("virtual_service", "web", "sub_service", sub, "real_server", server);
    }

    private static Map<String, String> bucket(String server, String le) {
        return Map.of("real_server", server, "le", le);
    }

    @Test
    void scrape_knownDurations_histogramsFromTheStripedCounters() throws Exception {
        start(SwitchboardMetrics::of);
        long[] totals = {3, 30, 7, 300, 1, 2000, 40, 12_000}; // a gets 3, 7, 1, 40; b the others
        for (long t : totals) {
            release("/app/x", t, t == 2000 ? 0 : Math.max(1, t / 2)); // b's 2 s exchange got no response head
        }
        PrometheusText text = scrape();
        assertThat(text.types()).containsEntry(DURATION, "histogram").containsEntry(FIRST_BYTE, "histogram");
        assertThat(registry.find(MeterNames.DURATION).timer()).as("no Micrometer timer records").isNull();
        assertThat(text.value(DURATION + "_count", at("app", "a"))).isEqualTo(4);
        assertThat(text.value(DURATION + "_count", at("app", "b"))).isEqualTo(4);
        assertThat(text.value(DURATION + "_bucket", bucket("a", "0.005"))).isEqualTo(2);
        assertThat(text.value(DURATION + "_bucket", bucket("a", "0.01"))).isEqualTo(3);
        assertThat(text.value(DURATION + "_bucket", bucket("a", "0.05"))).isEqualTo(4);
        assertThat(text.value(DURATION + "_bucket", bucket("b", "0.05"))).isEqualTo(1);
        assertThat(text.value(DURATION + "_bucket", bucket("b", "2.5"))).isEqualTo(3);
        assertThat(text.value(DURATION + "_bucket", bucket("b", "10.0"))).isEqualTo(3);
        assertThat(text.value(DURATION + "_bucket", bucket("b", "+Inf"))).isEqualTo(4);
        assertThat(text.value(DURATION + "_sum", at("app", "b"))).isCloseTo(14.33, within(1e-9));
        assertThat(text.value(DURATION + "_sum", at("app", "a"))).isCloseTo(0.051, within(1e-9));
        assertThat(text.value(FIRST_BYTE + "_count", at("app", "a"))).isEqualTo(4);
        assertThat(text.value(FIRST_BYTE + "_count", at("app", "b"))).isEqualTo(3);
        assertThat(text.value(FIRST_BYTE + "_bucket", bucket("b", "0.025"))).isEqualTo(1); // 15 ms
        assertThat(text.value(DURATION + "_count", at("api", "c"))).isZero(); // known, nothing yet
        List<String> les = new ArrayList<>();
        for (PrometheusText.Sample s : text.samples(DURATION + "_bucket")) {
            if (s.labels().get("real_server").equals("a")) {
                les.add(s.labels().get("le"));
            }
        }
        assertThat(les).containsExactly("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5",
                "5.0", "10.0", "+Inf");
        LatencySnapshot b = metrics.latency("web", "app", "b");
        assertThat(b.count()).isEqualTo(4);
        assertThat(b.sumSeconds()).isCloseTo(14.33, within(1e-9));
        promtoolAccepts(registry.scrape());
        PrometheusText open = PrometheusText.parse(registry.scrape("application/openmetrics-text; version=1.0.0",
                null), true);
        assertThat(open.value(DURATION + "_count", at("app", "a"))).isEqualTo(4);
        assertThat(open.value(DURATION + "_bucket", bucket("b", "+Inf"))).isEqualTo(4);
    }

    @Test
    void scrape_customBounds_areTheBuckets() {
        start(e -> SwitchboardMetrics.builder(e)
                .serviceLevelObjectives(Duration.ofMillis(200), Duration.ofMillis(20)).build());
        release("/app/x", 10, 1);
        release("/app/x", 150, 1);
        release("/app/x", 15, 1);
        PrometheusText text = scrape();
        assertThat(text.value(DURATION + "_bucket", bucket("a", "0.02"))).isEqualTo(2);
        assertThat(text.value(DURATION + "_bucket", bucket("a", "0.2"))).isEqualTo(2);
        assertThat(text.value(DURATION + "_bucket", bucket("b", "0.02"))).isEqualTo(0);
        assertThat(text.value(DURATION + "_bucket", bucket("b", "0.2"))).isEqualTo(1);
        assertThat(text.samples(DURATION + "_bucket")).hasSize(3 * 3); // 3 servers, 2 bounds and +Inf
    }

    @Test
    void reconfigure_removedServersLeaveTheScrape_keptOnesKeepCounting_returningOnesCountAfresh() {
        start(SwitchboardMetrics::of);
        for (int i = 0; i < 6; i++) {
            release("/app/x", 2, 1);
        }
        engine.reconfigure(model(false)); // b goes, d comes
        PrometheusText after = scrape();
        assertThat(after.value(DURATION + "_count", at("app", "a"))).isEqualTo(3);
        assertThat(after.find(DURATION + "_count", at("app", "b"))).isNull();
        assertThat(after.value(DURATION + "_count", at("app", "d"))).isZero();
        for (int i = 0; i < 4; i++) {
            release("/app/x", 2, 1);
        }
        engine.reconfigure(model(true)); // b comes back: counted afresh
        PrometheusText again = scrape();
        assertThat(again.value(DURATION + "_count", at("app", "a"))).isEqualTo(5);
        assertThat(again.value(DURATION + "_count", at("app", "b"))).isZero();
        assertThat(again.find(DURATION + "_count", at("app", "d"))).isNull();
    }

    @Test
    void close_unregistersTheFamilies_andABindingMayFollow() {
        start(SwitchboardMetrics::of);
        release("/app/x", 2, 1);
        metrics.close();
        assertThat(registry.scrape()).doesNotContain(DURATION);
        metrics = SwitchboardMetrics.of(engine);
        metrics.bindTo(registry);
        release("/app/x", 2, 1);
        assertThat(scrape().value(DURATION + "_count", at("app", "b"))).isEqualTo(1);
    }

    @Test
    void bindTo_percentilesOrMicrometerTimers_recordIntoMicrometerTimersInstead() {
        start(e -> SwitchboardMetrics.builder(e).micrometerTimers(true).build());
        release("/app/x", 30, 10);
        Timer timer = registry.find(MeterNames.DURATION).tag("real_server", "a").timer();
        assertThat(timer).isNotNull();
        assertThat(timer.count()).isEqualTo(1);
        PrometheusText text = scrape();
        assertThat(text.value(DURATION + "_max", at("app", "a"))).isEqualTo(0.03);
        assertThat(text.value(DURATION + "_bucket", bucket("a", "0.05"))).isEqualTo(1);
        assertThat(metrics.latency("web", "app", "a").count()).isEqualTo(1); // read API either way
        metrics.close();
        metrics = SwitchboardMetrics.builder(engine).serviceLevelObjectives().percentiles(0.99).build();
        metrics.bindTo(registry);
        assertThat(scrape().types()).containsEntry(DURATION, "summary");
    }

    @Test
    void publish_aMeterOfTheSameNameExists_isRefusedClearly() {
        engine = DispatchEngine.builder(model(true)).build();
        Timer.builder(MeterNames.DURATION).register(registry);
        SwitchboardMetrics m = SwitchboardMetrics.of(engine);
        assertThatThrownBy(() -> m.bindTo(registry)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("latency histograms not published");
        assertThatThrownBy(() -> new PrometheusLatencyPublisher().publish(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: a PrometheusMeterRegistry");
    }

    @Test
    void scrape_manyThreadsReleasing_countsExact() throws Exception {
        start(SwitchboardMetrics::of);
        int threads = 6;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    release("/app/x", i % 4 == 0 ? 7 : 70, 1); // a quarter at or below 10 ms
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        PrometheusText text = scrape();
        long total = (long) threads * perThread;
        double count = text.value(DURATION + "_count", at("app", "a"))
                + text.value(DURATION + "_count", at("app", "b"));
        double fast = text.value(DURATION + "_bucket", bucket("a", "0.01"))
                + text.value(DURATION + "_bucket", bucket("b", "0.01"));
        double sum = text.value(DURATION + "_sum", at("app", "a")) + text.value(DURATION + "_sum", at("app", "b"));
        assertThat(count).isEqualTo(total);
        assertThat(fast).isEqualTo(total / 4);
        assertThat(sum).isCloseTo((total / 4 * 7 + total * 3 / 4 * 70) / 1000.0, within(1e-6));
    }

    private static void promtoolAccepts(String scrape) throws Exception {
        Optional<Promtool> promtool = Promtool.find();
        if (promtool.isEmpty()) {
            System.out.println("promtool not found (Debian package prometheus): only the strict Java reader checked");
            return;
        }
        Promtool.Check check = promtool.get().checkMetrics(scrape);
        assertThat(check.exitCode()).as(check.output()).isZero();
    }
}
