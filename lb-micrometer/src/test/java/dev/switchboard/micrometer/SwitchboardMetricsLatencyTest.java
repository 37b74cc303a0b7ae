package dev.switchboard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
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
import dev.switchboard.micrometer.testing.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SwitchboardMetrics}' latency histograms, read through {@link SwitchboardMetrics#latency} and scraped from a
 * real {@link PrometheusMeterRegistry}, with traffic dispatched through a real engine (one thread and several).
 */
class SwitchboardMetricsLatencyTest {

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

    /** web: app (/app, a and b round robin), api (/api, c). */
    private void start(Function<DispatchEngine, SwitchboardMetrics> binder) {
        LoadBalancer model = LoadBalancer.builder().virtualService(VirtualService.builder("web")
                .scheduling(SchedulingMethod.ROUND_ROBIN)
                .subService(SubService.builder("app").match(ContentMatch.any(ContentRule.pathPrefix("/app")))
                        .realServer(RealServer.builder("a", "10.0.0.1:80").build())
                        .realServer(RealServer.builder("b", "10.0.0.2:80").build()).build())
                .subService(SubService.builder("api").match(ContentMatch.any(ContentRule.pathPrefix("/api")))
                        .realServer(RealServer.builder("c", "10.0.0.3:80").build()).build())
                .build()).build();
        engine = DispatchEngine.builder(model).stripes(1).build(); // round robin from a, on every thread
        metrics = binder.apply(engine);
        metrics.bindTo(registry);
    }

    private void release(String target, long totalMillis, long firstByteMillis) {
        Decision d = engine.dispatch("web", HttpRequest.builder().authority("web.example").target(target).build());
        assertThat(d).isInstanceOf(Decision.Forward.class);
        ((Decision.Forward) d).release(new Outcome(200, Outcome.Failure.NONE, totalMillis * MS, 10, 20,
                firstByteMillis * MS));
    }

    private static Map<String, String> at(String sub, String server) {
        return Map.of("virtual_service", "web", "sub_service", sub, "real_server", server);
    }

    @Test
    void latency_knownDurations_bucketsCountSumAndPercentiles_matchTheScrape() {
        start(SwitchboardMetrics::of);
        long[] totals = {3, 30, 7, 300, 1, 2000, 40, 12_000}; // a gets 3, 7, 1, 40; b the others
        for (long t : totals) {
            release("/app/x", t, Math.max(1, t / 2));
        }
        release("/api/y", 60, 0); // no first byte: counted in the total time only

        LatencySnapshot a = metrics.latency("web", "app", "a");
        // default bounds 5, 10, 25, 50, 100, 250, 500 ms, 1, 2.5, 5, 10 s, +Inf
        assertThat(a.cumulativeCounts()).containsExactly(2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4);
        assertThat(a.sumNanos()).isEqualTo(51 * MS);
        LatencySnapshot b = metrics.latency("web", "app", "b");
        assertThat(b.cumulativeCounts()).containsExactly(0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 4);
        assertThat(b.percentile(0.5)).isCloseTo(0.5, within(1e-9)); // rank 2: the top of (250, 500 ms]
        assertThat(b.percentile(0.99)).isEqualTo(10.0); // in +Inf: the highest bound
        LatencySnapshot app = metrics.latency("web", "app");
        assertThat(app.count()).isEqualTo(8);
        assertThat(app.sumNanos()).isEqualTo(14_381 * MS);
        assertThat(metrics.timeToFirstByte("web", "app", "a").count()).isEqualTo(4);
        assertThat(metrics.latency("web", "api", "c").count()).isEqualTo(1);
        assertThat(metrics.timeToFirstByte("web", "api", "c").count()).isZero();
        assertThat(metrics.timeToFirstByte("web", "api").count()).isZero();
        assertThat(metrics.latency("web", "app", "nobody").count()).isZero();
        assertThat(metrics.latency("web", "nowhere").bounds()).isEqualTo(SwitchboardMetrics.DEFAULT_SLOS);

        PrometheusText text = PrometheusText.parse(registry.scrape(), false);
        for (String server : List.of("a", "b")) {
            LatencySnapshot s = metrics.latency("web", "app", server);
            assertThat(text.value("switchboard_request_duration_seconds_count", at("app", server)))
                    .isEqualTo(s.count());
            assertThat(text.value("switchboard_request_duration_seconds_sum", at("app", server)))
                    .isCloseTo(s.sumSeconds(), within(1e-9));
            assertThat(text.value("switchboard_request_duration_seconds_bucket",
                    Map.of("real_server", server, "le", "0.05"))).isEqualTo(s.cumulativeCounts()[3]);
        }
    }

    @Test
    void latency_customBounds_areTheSnapshotsBounds() {
        start(e -> SwitchboardMetrics.builder(e)
                .serviceLevelObjectives(Duration.ofMillis(200), Duration.ofMillis(20)).build());
        release("/app/x", 15, 5);
        release("/app/x", 150, 5);
        assertThat(metrics.latency("web", "app", "a").bounds())
                .containsExactly(Duration.ofMillis(20), Duration.ofMillis(200));
        assertThat(metrics.latency("web", "app").cumulativeCounts()).containsExactly(1, 2, 2);
    }

    @Test
    void latency_manyThreadsReleasing_totalsAreExact() throws Exception {
        start(SwitchboardMetrics::of);
        int threads = 6;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    release("/app/x", (i + id) % 3 == 0 ? 7 : 70, 1); // a third in (5, 10 ms], the rest (50, 100]
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long expectedFast = 0;
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                expectedFast += (i + t) % 3 == 0 ? 1 : 0;
            }
        }
        long total = (long) threads * perThread;
        LatencySnapshot app = metrics.latency("web", "app");
        assertThat(app.count()).isEqualTo(total);
        assertThat(app.cumulativeCounts()[1]).isEqualTo(expectedFast); // <= 10 ms
        assertThat(app.cumulativeCounts()[4]).isEqualTo(total); // <= 100 ms
        assertThat(app.sumNanos()).isEqualTo((expectedFast * 7 + (total - expectedFast) * 70) * MS);
        assertThat(metrics.timeToFirstByte("web", "app").count()).isEqualTo(total);
        PrometheusText text = PrometheusText.parse(registry.scrape(), false);
        double scraped = text.value("switchboard_request_duration_seconds_count", at("app", "a"))
                + text.value("switchboard_request_duration_seconds_count", at("app", "b"));
        assertThat(scraped).isEqualTo(total);
        String bucket = "switchboard_request_duration_seconds_bucket";
        double fast = text.value(bucket, Map.of("real_server", "a", "le", "0.01"))
                + text.value(bucket, Map.of("real_server", "b", "le", "0.01"));
        assertThat(fast).isEqualTo(expectedFast);
    }
}
