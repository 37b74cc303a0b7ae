package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code DispatchEngine.Builder.stripes}: with one stripe every thread walks one round-robin position, from the first
 * server, so the order is the same whatever threads dispatch.
 */
class StripesTest {

    private final ExecutorService other = Executors.newSingleThreadExecutor();
    private DispatchEngine engine;

    @AfterEach
    void close() {
        other.shutdownNow();
        if (engine != null) {
            engine.close();
        }
    }

    private static LoadBalancer model() {
        return LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN)
                .subService(SubService.builder("owa").asDefault()
                        .realServer(RealServer.of("ex01", "10.0.0.1:443"))
                        .realServer(RealServer.of("ex02", "10.0.0.2:443"))
                        .realServer(RealServer.of("ex03", "10.0.0.3:443"))
                        .build())
                .build()).build();
    }

    private String pickOnOtherThread() throws Exception {
        return other.submit(() -> serverOf(engine.dispatch("mail", get("/")))).get(10, TimeUnit.SECONDS);
    }

    @Test
    void dispatch_oneStripe_threadsTakeTurnsOnOnePositionFromTheFirstServer() throws Exception {
        engine = DispatchEngine.builder(model()).stripes(1).build();
        List<String> picks = new ArrayList<>();

        picks.add(serverOf(engine.dispatch("mail", get("/"))));
        picks.add(pickOnOtherThread());
        picks.add(serverOf(engine.dispatch("mail", get("/"))));
        picks.add(pickOnOtherThread());

        assertThat(picks).containsExactly("ex01", "ex02", "ex03", "ex01");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 256, -1})
    void builder_stripesNotAPowerOfTwoUpTo128_throwsNamingTheValue(int stripes) {
        assertThatIllegalArgumentException().isThrownBy(() -> DispatchEngine.builder(model()).stripes(stripes))
                .withMessage("stripes: " + stripes + " (expected: a power of two in 1..128)");
    }
}
