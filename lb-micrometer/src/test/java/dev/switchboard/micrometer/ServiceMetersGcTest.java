package dev.switchboard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ContentRule;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/**
 * The virtual service's and sub-service's meters read their counters after garbage collections: their views are
 * held by the meters themselves (a weak reference, Micrometer's default, read NaN once collected).
 */
class ServiceMetersGcTest {

    @Test
    void afterGarbageCollection_serviceMetersStillReadTheCounters() {
        DispatchEngine engine = DispatchEngine.create(LoadBalancer.builder()
                .virtualService(VirtualService.builder("web").listen("127.0.0.1:8080")
                        .subService(SubService.builder("app").matchAny(ContentRule.pathPrefix("/app"))
                                .realServer(RealServer.of("a", "127.0.0.1:9001")).build())
                        .build())
                .build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SwitchboardMetrics metrics = SwitchboardMetrics.of(engine)) {
            metrics.bindTo(registry);
            engine.dispatch("web", HttpRequest.builder().target("/nowhere").authority("web.test").build());
            engine.dispatch("web", HttpRequest.builder().target("/nowhere").authority("web.test").build());
            collectGarbage();

            assertThat(registry.get(MeterNames.VS_ANSWERS).tag("answer", "not_found").functionCounter().count())
                    .isEqualTo(2.0);
            assertThat(registry.get(MeterNames.VS_REQUESTS).functionCounter().count()).isEqualTo(2.0);
            assertThat(registry.get(MeterNames.HEALTHY_SERVERS).gauge().value()).isEqualTo(1.0);
        } finally {
            engine.close();
        }
    }

    /** Until an object only weakly held is collected (bounded: a JVM may ignore System.gc, then this proves less). */
    private static void collectGarbage() {
        WeakReference<Object> canary = new WeakReference<>(new Object());
        for (int i = 0; i < 20 && canary.get() != null; i++) {
            System.gc();
        }
    }
}
