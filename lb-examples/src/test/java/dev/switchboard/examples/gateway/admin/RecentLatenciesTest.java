package dev.switchboard.examples.gateway.admin;

import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.micrometer.SwitchboardMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Percentiles of the last minute from the engine's real latency histograms, moved by the samples' times. */
class RecentLatenciesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final SampleKey OWA = SampleKey.of("mail", "owa");

    private final DispatchEngine engine = DispatchEngine.create(LoadBalancer.builder()
            .virtualService(VirtualService.builder("mail").listen("127.0.0.1:8443").protocol(Protocol.HTTP)
                    .subService(SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"))
                            .realServer(RealServer.of("ex01", "127.0.0.1:9001"))
                            .realServer(RealServer.of("ex02", "127.0.0.1:9002")).build())
                    .subService(SubService.builder("ews").asDefault()
                            .realServer(RealServer.of("ex01", "127.0.0.1:9001")).build())
                    .build())
            .build());
    private final SwitchboardMetrics metrics = SwitchboardMetrics.of(engine);
    private final RecentLatencies latencies = new RecentLatencies(key -> key.server().isEmpty()
            ? metrics.latency(key.virtualService(), key.subService())
            : metrics.latency(key.virtualService(), key.subService(), key.server()));

    RecentLatenciesTest() {
        metrics.bindTo(new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        metrics.close();
        engine.close();
    }

    @Test
    void percentiles_ofTheLastMinuteOnly() {
        latencies.sample(engine.stats(), T0);
        assertThat(latencies.find(OWA)).as("no request yet").isEmpty();
        release("/owa/a", 100, Duration.ofMillis(3)); // all under the 5 ms bound
        latencies.sample(engine.stats(), T0.plusSeconds(10));

        LatencySummary first = latencies.find(OWA).orElseThrow();
        assertThat(first.count()).isEqualTo(100);
        assertThat(first.p99()).isLessThanOrEqualTo(Duration.ofMillis(5));
        assertThat(first.above()).isFalse();

        for (int s = 20; s <= 80; s += 10) { // the fast minute slides out of the window
            release("/owa/a", 10, Duration.ofMillis(700)); // in the 500 ms .. 1 s bucket
            latencies.sample(engine.stats(), T0.plusSeconds(s));
        }
        LatencySummary slow = latencies.find(OWA).orElseThrow();
        assertThat(slow.count()).isEqualTo(60);
        assertThat(slow.p50()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(slow.p99()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void perServer_andAboveTheLastBound_isSaidSo() {
        latencies.sample(engine.stats(), T0);
        release("/owa/a", 10, Duration.ofSeconds(30)); // above the 10 s bound

        LatencySummary s = latencies.find(OWA).orElseThrow();
        assertThat(s.above()).isTrue();
        assertThat(s.p99()).isEqualTo(Duration.ofSeconds(10));
        long perServer = latencies.find(new SampleKey("mail", "owa", "ex01")).orElseThrow().count()
                + latencies.find(new SampleKey("mail", "owa", "ex02")).orElseThrow().count();
        assertThat(perServer).isEqualTo(10);
        assertThat(latencies.find(SampleKey.of("mail", "ews"))).isEmpty();
        assertThat(latencies.find(SampleKey.of("mail", "nowhere"))).isEmpty();
    }

    private void release(String path, int n, Duration took) {
        for (int i = 0; i < n; i++) {
            Decision d = engine.dispatch("mail", HttpRequest.builder().target(path).authority("mail.test").build());
            ((Decision.Forward) d).release(Outcome.ofStatus(200, took.toNanos()));
        }
    }
}
