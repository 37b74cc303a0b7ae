package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.switchboard.api.Health;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine's random draws come from the source given to its builder: a seeded source makes random scheduling
 * and slow start repeat exactly, run after run, on whatever thread.
 */
class RandomSourceTest {

    private final AtomicLong now = new AtomicLong(3_000_000_000L);
    private final List<DispatchEngine> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(DispatchEngine::close);
    }

    private DispatchEngine engine(SchedulingMethod method, RandomGenerator random) {
        LoadBalancer model = LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(method).slowStart(Duration.ofSeconds(100))
                .subService(SubService.builder("owa").asDefault()
                        .realServer(RealServer.builder("ex01", "10.0.0.1:443").weight(1).build())
                        .realServer(RealServer.builder("ex02", "10.0.0.2:443").weight(2).build())
                        .realServer(RealServer.builder("ex03", "10.0.0.3:443").weight(3).build())
                        .build())
                .build()).build();
        DispatchEngine engine = DispatchEngine.builder(model).ticker(now::get).random(random).build();
        engines.add(engine);
        return engine;
    }

    private static List<String> picks(DispatchEngine engine, int count) {
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            servers.add(serverOf(engine.dispatch("mail", get("/"))));
        }
        return servers;
    }

    @ParameterizedTest
    @EnumSource(value = SchedulingMethod.class, names = {"RANDOM", "LEAST_LOADED"})
    void dispatch_sameSeed_repeatsTheSamePicks_otherSeedDoesNot(SchedulingMethod method) {
        List<String> first = picks(engine(method, new SplittableRandom(42)), 200);
        List<String> again = picks(engine(method, new SplittableRandom(42)), 200);
        List<String> other = picks(engine(method, new SplittableRandom(43)), 200);

        assertThat(first).isEqualTo(again).containsAll(List.of("ex01", "ex02", "ex03"));
        assertThat(other).isNotEqualTo(first);
    }

    /** Draws {@code bound - 1} (never admitted while ramping) or 0 (always admitted) from every {@code nextInt}. */
    private static RandomGenerator always(boolean high) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public int nextInt(int bound) {
                return high ? bound - 1 : 0;
            }
        };
    }

    @Test
    void slowStart_admissionOfARampingServer_drawsFromTheInjectedSource() {
        DispatchEngine never = engine(SchedulingMethod.ROUND_ROBIN, always(true));
        DispatchEngine always = engine(SchedulingMethod.ROUND_ROBIN, always(false));
        for (DispatchEngine engine : List.of(never, always)) {
            engine.setHealth("mail", "owa", "ex03", Health.DOWN, "restart");
            engine.setHealth("mail", "owa", "ex03", Health.UP, "back"); // ramps from now, 100 s
        }
        now.addAndGet(Duration.ofSeconds(50).toNanos());

        assertThat(picks(never, 30)).as("its turn is passed on at every draw").doesNotContain("ex03");
        assertThat(picks(always, 30)).filteredOn("ex03"::equals).as("admitted at every turn").hasSize(10);
    }

    @Test
    void builder_nullRandom_throwsNamingIt() {
        LoadBalancer model = LoadBalancer.builder().build();
        assertThatNullPointerException().isThrownBy(() -> DispatchEngine.builder(model).random(null))
                .withMessage("random");
    }
}
