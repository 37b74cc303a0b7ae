package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Address;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.testing.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The schedule runs on a ticker this test moves by hand, so each probe happens only when the test moves time to it:
 * the gaps between probes are the checker's scheduled delays, exactly, however fast or slow the machine is. The
 * probes themselves are real (HTTP on 127.0.0.1).
 */
class FastIntervalTest {

    private static final Duration INTERVAL = Duration.ofMillis(800);
    private static final Duration FAST = Duration.ofMillis(20);
    /** On a 10 ms boundary, as are the interval and fast interval: the schedule's rounding to 10 ms adds nothing. */
    private static final long START = TimeUnit.SECONDS.toNanos(1_000);

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final AtomicLong now = new AtomicLong(START);
    /** Stamps each probe's result with the ticker's time, so that the test sees which probe it is looking at. */
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return at(now.get());
        }
    };
    private final RecordingSink sink = new RecordingSink();
    private final RecordingListener listener = new RecordingListener();
    private final HealthChecker checker = HealthChecker.builder(sink).listener(listener).seed(3).ticker(now::get)
            .clock(clock).build();
    private final AtomicInteger code = new AtomicInteger(200);
    private final AtomicInteger served = new AtomicInteger();

    @AfterEach
    void tearDown() {
        checker.close();
    }

    private static Instant at(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }

    private void serve() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                served.incrementAndGet();
                return new MockResponse.Builder().code(code.get()).build();
            }
        });
    }

    private void add(HealthCheck check) {
        serve();
        checker.add(HealthTarget.of("vs", "web", "s1", Address.of("127.0.0.1", server.getPort()), check));
    }

    /** When the next probe is due; asked on the checker's thread, after whatever it was doing. */
    private long nextDue() throws Exception {
        OptionalLong due = checker.findNextProbeDue("vs", "web", "s1").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(due).as("a probe is scheduled").isPresent();
        return due.getAsLong();
    }

    /**
     * Moves time to the next probe and waits for its result; returns how long after the previous probe it was due.
     */
    private Duration probeNext() throws Exception {
        long before = now.get();
        long due = nextDue();
        int probes = served.get();
        now.set(due);
        nextDue(); // wakes the checker's thread, which then finds the probe due
        Eventually.until("the probe due at " + at(due), () -> checker.findLastProbe("vs", "web", "s1")
                .filter(p -> p.time().equals(at(due))).isPresent());
        nextDue(); // the result is kept before it is reported: this waits until its handling has ended
        assertThat(served.get()).as("one request per probe").isEqualTo(probes + 1);
        return Duration.ofNanos(due - before);
    }

    @Test
    void firstFailureWhileUp_probesAtTheFastIntervalUntilFallCompletes_thenAtTheInterval() throws Exception {
        add(HealthCheck.http().interval(INTERVAL).fastInterval(FAST).fall(3).jitter(0).build());
        probeNext();
        assertThat(listener.transitions).extracting(HealthTransition::to).containsExactly(Health.UP);
        code.set(503);

        List<Duration> gaps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gaps.add(probeNext());
        }

        assertThat(gaps).as("up: the interval; failing: the fast one").containsExactly(INTERVAL, FAST, FAST);
        assertThat(listener.transitions).extracting(HealthTransition::to).containsExactly(Health.UP, Health.DOWN);
        assertThat(Duration.ofNanos(nextDue() - now.get())).as("down: the interval again").isEqualTo(INTERVAL);
    }

    @Test
    void firstSuccessWhileDown_probesAtTheFastIntervalUntilRiseCompletes_thenAtTheInterval() throws Exception {
        code.set(503);
        add(HealthCheck.http().interval(INTERVAL).fastInterval(FAST).rise(3).jitter(0).initialState(Health.UP)
                .build());
        probeNext();
        assertThat(listener.transitions).extracting(HealthTransition::to).containsExactly(Health.DOWN);
        code.set(200);

        List<Duration> gaps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gaps.add(probeNext());
        }

        assertThat(gaps).as("down: the interval; passing: the fast one").containsExactly(INTERVAL, FAST, FAST);
        assertThat(listener.transitions).extracting(HealthTransition::to).containsExactly(Health.DOWN, Health.UP);
        assertThat(Duration.ofNanos(nextDue() - now.get())).as("up: the interval again").isEqualTo(INTERVAL);
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
