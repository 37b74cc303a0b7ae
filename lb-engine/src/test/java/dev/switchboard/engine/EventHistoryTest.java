package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.OutlierState;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.event.EventKind;
import dev.switchboard.api.event.RecordedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event history: the engine's state changes recorded in order with their times, in a bounded ring. */
class EventHistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-06T17:00:00Z");

    private final MutableClock clock = new MutableClock();
    private DispatchEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private EventHistory engineWithHistory(int capacity) {
        EventHistory history = EventHistory.withCapacity(capacity, clock);
        SubService.Builder owa = SubService.builder("owa").minHealthyServers(1)
                .sorryServer(Address.parse("10.9.9.9:80")).outlierDetection(OutlierDetection.ofDefaults());
        owa.realServer(RealServer.of("ex01", "10.0.0.1:443")).realServer(RealServer.of("ex02", "10.0.0.2:443"));
        engine = DispatchEngine.builder(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).subService(owa.asDefault().build()).build()).build())
                .listener(history).build();
        return history;
    }

    @Test
    void stateChanges_areRecordedInOrder_withFromToAndReason() {
        EventHistory history = engineWithHistory(100);
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "GET /owa/healthcheck.htm: status 503 (expected 200)");
        clock.advance(Duration.ofSeconds(1));
        engine.setAdminState("mail", "owa", "ex02", AdminState.DRAINING, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(forward(engine.dispatch("mail", get("/"))).target().sorry()).isTrue();
        engine.setOutlierState("mail", "owa", "ex02", OutlierState.EJECTED, "5 consecutive failures");
        engine.setAdminState("mail", "owa", "ex02", AdminState.ENABLED, Duration.ZERO);
        engine.setHealth("mail", "owa", "ex01", Health.UP, "status 200");

        assertThat(history.events()).extracting(RecordedEvent::kind, RecordedEvent::realServer, RecordedEvent::from,
                RecordedEvent::to, RecordedEvent::reason).containsExactly(
                tuple(EventKind.HEALTH, "ex01", "up", "down", "GET /owa/healthcheck.htm: status 503 (expected 200)"),
                tuple(EventKind.ADMIN_STATE, "ex02", "enabled", "draining", "operator"),
                tuple(EventKind.SORRY_SERVER, "", "unused", "in-use", "sorry server 10.9.9.9:80"),
                tuple(EventKind.SUB_SERVICE, "", "", "down", "0 of 2 servers healthy"),
                tuple(EventKind.OUTLIER, "ex02", "normal", "ejected", "5 consecutive failures"),
                tuple(EventKind.ADMIN_STATE, "ex02", "draining", "enabled", "operator"),
                tuple(EventKind.HEALTH, "ex01", "down", "up", "status 200"),
                tuple(EventKind.SORRY_SERVER, "", "in-use", "unused", "sorry server 10.9.9.9:80"),
                tuple(EventKind.SUB_SERVICE, "", "down", "up", "1 of 2 servers healthy"));
        assertThat(history.events().get(0).time()).isEqualTo(T0);
        assertThat(history.events().get(1).time()).isEqualTo(T0.plusSeconds(1));
        assertThat(history.events()).allSatisfy(e -> assertThat(e.virtualService()).isEqualTo("mail"));
    }

    @Test
    void since_keepsOnlyLaterEvents_strictly() {
        EventHistory history = engineWithHistory(100);
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "first");
        clock.advance(Duration.ofSeconds(1));
        engine.setHealth("mail", "owa", "ex01", Health.UP, "second");
        clock.advance(Duration.ofSeconds(1));
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "third");

        assertThat(history.since(T0)).extracting(RecordedEvent::reason).containsExactly("second", "third");
        assertThat(history.since(T0.minusMillis(1))).extracting(RecordedEvent::reason)
                .containsExactly("first", "second", "third");
        assertThat(history.since(T0.plusSeconds(2))).isEmpty();
    }

    @Test
    void beyondCapacity_oldestAreDropped_newestLast() {
        EventHistory history = EventHistory.withCapacity(3, clock);
        for (int i = 0; i < 7; i++) {
            history.record(EventKind.RELOAD, "", "", "", "", "", "reload " + i);
        }
        assertThat(history.events()).extracting(RecordedEvent::reason)
                .containsExactly("reload 4", "reload 5", "reload 6");
        assertThat(history.recorded()).isEqualTo(7);
        assertThat(history.capacity()).isEqualTo(3);
    }

    @Test
    void concurrentWriters_neverExceedTheBound_andLoseNothingKept() throws InterruptedException {
        EventHistory history = EventHistory.withCapacity(64, Clock.systemUTC());
        int threads = 4;
        int each = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "w" + t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    history.record(EventKind.HEALTH, "vs", "sub", name, "up", "down", Integer.toString(i));
                }
            });
            w.start();
            writers.add(w);
        }
        start.countDown();
        for (Thread w : writers) {
            w.join(TimeUnit.SECONDS.toMillis(10));
        }
        List<RecordedEvent> kept = history.events();
        assertThat(history.recorded()).isEqualTo(threads * each);
        assertThat(kept).hasSize(64);
        for (int t = 0; t < threads; t++) { // each writer's events stay in its own order
            String name = "w" + t;
            List<Integer> mine = kept.stream().filter(e -> e.realServer().equals(name))
                    .map(e -> Integer.parseInt(e.reason())).toList();
            assertThat(mine).isSorted();
        }
    }

    @Test
    void badCapacity_isRefusedNamingIt() {
        assertThatThrownBy(() -> EventHistory.withCapacity(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity: 0 (expected: 1..1048576)");
    }

    @Test
    void reconfiguration_isRecordedAsReload() {
        EventHistory history = engineWithHistory(10);
        LoadBalancer next = LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .subService(SubService.builder("owa").realServer(RealServer.of("ex01", "10.0.0.1:443"))
                        .asDefault().build()).build()).build();
        engine.reconfigure(next);
        assertThat(history.events()).extracting(RecordedEvent::kind, RecordedEvent::reason)
                .containsExactly(tuple(EventKind.RELOAD, "1 virtual services"));
    }

    /** A clock that moves only when told. */
    private static final class MutableClock extends Clock {
        private volatile Instant now = T0;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
