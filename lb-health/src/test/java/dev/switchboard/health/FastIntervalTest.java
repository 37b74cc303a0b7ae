package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Address;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Health;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.api.HealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FastIntervalTest {

    private static final Duration INTERVAL = Duration.ofMillis(800);
    /**
     * Not a speed limit: the bound is what the other behaviour cannot reach. Probed at the normal interval (timers
     * never fire early, jitter 0), two gaps would take at least two intervals; at the fast one (20 ms) about 40 ms.
     */
    private static final String NOT_TWO_INTERVALS = "two gaps at the fast interval, not at the normal one";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final RecordingSink sink = new RecordingSink();
    private final RecordingListener listener = new RecordingListener();
    private final HealthChecker checker = HealthChecker.builder(sink).listener(listener).seed(3).build();
    private final AtomicInteger code = new AtomicInteger(200);
    private final List<Long> servedAt = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        checker.close();
    }

    private void serve() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                servedAt.add(System.nanoTime());
                return new MockResponse.Builder().code(code.get()).build();
            }
        });
    }

    @Test
    void firstFailureWhileUp_probesAtTheFastIntervalUntilFallCompletes() {
        serve();
        checker.add(HealthTarget.of("vs", "web", "s1", Address.of("127.0.0.1", server.getPort()),
                HealthCheck.http().interval(INTERVAL).fastInterval(Duration.ofMillis(20)).fall(3)
                        .jitter(0).build()));
        Eventually.until("UP", () -> listener.transitions.size() == 1);
        code.set(503);
        int firstFailure = servedAt.size();
        Eventually.until("DOWN", () -> listener.transitions.size() == 2);

        long fallTook = servedAt.get(firstFailure + 2) - servedAt.get(firstFailure);
        assertThat(Duration.ofNanos(fallTook)).as(NOT_TWO_INTERVALS).isLessThan(INTERVAL.multipliedBy(2));
        int afterDown = servedAt.size();
        Eventually.until("one more probe", Duration.ofSeconds(3), () -> servedAt.size() > afterDown);
        long back = servedAt.get(afterDown) - servedAt.get(afterDown - 1);
        // a timer never fires early and the jitter is 0: a gap of the normal interval is at least the interval
        assertThat(Duration.ofNanos(back)).as("back to the normal interval").isGreaterThanOrEqualTo(INTERVAL);
        assertThat(listener.transitions.get(1).to()).isEqualTo(Health.DOWN);
    }

    @Test
    void firstSuccessWhileDown_probesFastUntilRiseCompletes() {
        code.set(503);
        serve();
        checker.add(HealthTarget.of("vs", "web", "s1", Address.of("127.0.0.1", server.getPort()),
                HealthCheck.http().interval(INTERVAL).fastInterval(Duration.ofMillis(20)).rise(3)
                        .jitter(0).initialState(Health.UP).build()));
        Eventually.until("DOWN", () -> listener.transitions.size() == 1);
        code.set(200);
        int firstSuccess = servedAt.size();
        Eventually.until("UP", Duration.ofSeconds(5), () -> listener.transitions.size() == 2);

        long riseTook = servedAt.get(firstSuccess + 2) - servedAt.get(firstSuccess);
        assertThat(Duration.ofNanos(riseTook)).as(NOT_TWO_INTERVALS).isLessThan(INTERVAL.multipliedBy(2));
    }

    @Test
    void fastInterval_defaultsToAQuarterOfTheIntervalAndAtLeast10ms() {
        assertThat(HealthCheck.http().interval(Duration.ofSeconds(2)).build().fastInterval())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(HealthCheck.tcp().interval(Duration.ofMillis(20)).build().fastInterval())
                .isEqualTo(Duration.ofMillis(10));
        assertThat(HealthCheck.tcp().interval(Duration.ofMillis(5)).build().fastInterval())
                .isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void fastInterval_outOfRange_isRejectedWithTheField() {
        assertThatThrownBy(() -> HealthCheck.tcp().fastInterval(Duration.ofMillis(5)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("fastInterval: PT0.005S (expected: 10ms..interval (PT2S))");
        assertThatThrownBy(() -> HealthCheck.tcp().interval(Duration.ofSeconds(1))
                .fastInterval(Duration.ofSeconds(2)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("fastInterval");
    }
}
