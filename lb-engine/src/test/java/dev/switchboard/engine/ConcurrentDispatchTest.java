package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Health;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConcurrentDispatchTest {

    private static LoadBalancer model(SchedulingMethod method) {
        VirtualService.Builder vs = VirtualService.builder("mail").scheduling(method).slowStart(Duration.ofMillis(20));
        for (String w : List.of("owa", "ews")) {
            SubService.Builder sub = SubService.builder(w).matchAny(ContentRule.pathPrefix("/" + w))
                    .queue(64, Duration.ofMillis(200));
            for (int i = 0; i < 4; i++) {
                sub.realServer(RealServer.builder("ex0" + i, "10.0.0." + i + ":443").weight(1 + i)
                        .maxConnections(i == 0 ? 2 : 0).build());
            }
            vs.subService(sub.build());
        }
        vs.subService(SubService.builder("default").asDefault().realServer(RealServer.of("ex00", "10.0.0.0:443"))
                .build());
        return LoadBalancer.builder().virtualService(vs.build()).build();
    }

    @ParameterizedTest
    @EnumSource(SchedulingMethod.class)
    void hammering_dispatchAndRelease_whileStatesFlip_countsReturnToZero(SchedulingMethod method) throws Exception {
        try (DispatchEngine engine = DispatchEngine.create(model(method))) {
            int threads = 4;
            int perThread = 20_000;
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong forwards = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                work.add(pool.submit(() -> {
                    start.await();
                    SplittableRandom random = new SplittableRandom(seed);
                    String[] paths = {"/owa/x", "/ews/y", "/other"};
                    for (int i = 0; i < perThread; i++) {
                        Decision d = engine.dispatch("mail", get(paths[random.nextInt(3)]));
                        if (d instanceof Decision.Queued q) {
                            d = q.future().get(5, TimeUnit.SECONDS);
                        }
                        if (d instanceof Decision.Forward f) {
                            forwards.incrementAndGet();
                            f.release(Outcome.ofStatus(random.nextInt(10) == 0 ? 502 : 200, 1000));
                            if (random.nextInt(50) == 0) {
                                f.release(Outcome.ofStatus(200, 0)); // double release must be harmless
                            }
                        }
                    }
                    return null;
                }));
            }
            Future<?> flipper = pool.submit(() -> {
                start.await();
                SplittableRandom random = new SplittableRandom(99);
                while (running.get()) {
                    String server = "ex0" + random.nextInt(4);
                    String sub = random.nextBoolean() ? "owa" : "ews";
                    switch (random.nextInt(3)) {
                        case 0 -> engine.setHealth("mail", sub, server, random.nextBoolean() ? Health.UP : Health.DOWN,
                                "flip");
                        case 1 -> engine.setAdminState("mail", sub, server,
                                AdminState.values()[random.nextInt(3)], Duration.ofMillis(10));
                        default -> engine.reconfigure(model(SchedulingMethod.values()[random.nextInt(8)]));
                    }
                    Thread.onSpinWait();
                }
                return null;
            });
            start.countDown();
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
            running.set(false);
            flipper.get(10, TimeUnit.SECONDS);
            pool.shutdown();

            assertThat(forwards.get()).isGreaterThan(0);
            EngineStats stats = engine.stats();
            VirtualServiceStats mail = stats.findVirtualService("mail").orElseThrow();
            assertThat(mail.activeConnections()).isZero();
            assertThat(mail.subServices()).allSatisfy(s -> assertThat(s.waiting()).isZero());
            assertThat(mail.totalRequests()).isEqualTo((long) threads * perThread);
            long served = mail.subServices().stream().flatMap(s -> s.realServers().stream())
                    .mapToLong(RealServerStats::totalRequests).sum();
            long sorry = mail.subServices().stream().mapToLong(SubServiceStats::sorry).sum();
            assertThat(served + sorry).isEqualTo(forwards.get());
        }
    }
}
