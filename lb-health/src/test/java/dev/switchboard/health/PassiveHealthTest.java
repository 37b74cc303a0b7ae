package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Health;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.OutlierState;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.event.EngineListener;
import dev.switchboard.api.event.OutlierStateEvent;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.RealServerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Passive ejection and return through a real {@link DispatchEngine}: leases released with failing outcomes eject a
 * server from one sub-service; a fake ticker ends the ejection.
 */
class PassiveHealthTest {

    private static final Outcome OK = Outcome.ofStatus(200, 1_000_000);
    private static final Outcome UNAVAILABLE = Outcome.ofStatus(503, 1_000_000);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<OutlierStateEvent> events = new CopyOnWriteArrayList<>();
    private DispatchEngine engine;
    private OutlierDetector detector;

    @AfterEach
    void close() {
        detector.close();
        engine.close();
    }

    private void start(OutlierDetection detection) {
        SubService.Builder owa = SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"))
                .outlierDetection(detection);
        SubService.Builder ews = SubService.builder("ews").asDefault().outlierDetection(detection);
        for (int i = 1; i <= 4; i++) {
            owa.realServer(RealServer.of("ex0" + i, "10.0.0." + i + ":443"));
            ews.realServer(RealServer.of("ex0" + i, "10.0.0." + i + ":443"));
        }
        LoadBalancer model = LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).subService(owa.build()).subService(ews.build()).build())
                .build();
        engine = DispatchEngine.builder(model).ticker(now::get).listener(new EngineListener() {
            @Override
            public void onOutlierState(OutlierStateEvent event) {
                events.add(event);
            }
        }).build();
        // a long interval: the test runs every pass itself with checkNow(), after moving the ticker
        detector = OutlierDetector.builder(engine).ticker(now::get).interval(Duration.ofHours(1)).build();
        engine.setOutcomeListener(detector);
    }

    private static OutlierDetection.Builder detection() {
        return OutlierDetection.builder().consecutiveFailures(3).noFailureRate().halfOpenCalls(2)
                .baseEjectionTime(Duration.ofSeconds(30)).maxEjectionTime(Duration.ofSeconds(100));
    }

    /** Sends {@code n} requests to {@code path}; each lease is released with what {@code outcome} says. */
    private List<String> send(String path, int n, BiFunction<String, String, Outcome> outcome) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Decision d = engine.dispatch("mail", HttpRequest.builder().scheme("https").authority("mail.example.com")
                    .target(path).build());
            if (d instanceof Decision.Forward f) {
                picked.add(f.target().server());
                f.release(outcome.apply(f.target().subService(), f.target().server()));
            } else {
                picked.add("-");
            }
        }
        detector.checkNow().join();
        return picked;
    }

    /** The owa workload is broken on ex01 only. */
    private static Outcome owaBrokenOnEx01(String sub, String server) {
        return sub.equals("owa") && server.equals("ex01") ? UNAVAILABLE : OK;
    }

    private RealServerStats stats(String sub, String server) {
        return engine.stats().findRealServer("mail", sub, server).orElseThrow();
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
        detector.checkNow().join();
    }

    @Test
    void consecutiveFailures_ejectFromThatSubServiceOnly_andHalfOpenSuccessReturns() {
        start(detection().build());
        send("/owa/", 12, PassiveHealthTest::owaBrokenOnEx01); // ex01 is picked 3 times: 3 consecutive 503s
        RealServerStats ex01 = stats("owa", "ex01");
        assertThat(ex01.outlierState()).isEqualTo(OutlierState.EJECTED);
        assertThat(ex01.outlierReason()).startsWith("3 consecutive failures, last: status 503; ejected for PT30S");
        assertThat(ex01.health()).as("the active verdict is untouched").isEqualTo(Health.UP);
        assertThat(send("/owa/", 12, PassiveHealthTest::owaBrokenOnEx01)).doesNotContain("ex01");
        assertThat(send("/ews/", 12, PassiveHealthTest::owaBrokenOnEx01)).as("ews still uses ex01").contains("ex01");
        assertThat(stats("ews", "ex01").outlierState()).isEqualTo(OutlierState.NORMAL);

        advance(Duration.ofSeconds(29));
        assertThat(stats("owa", "ex01").outlierState()).isEqualTo(OutlierState.EJECTED);
        advance(Duration.ofSeconds(1));
        assertThat(stats("owa", "ex01").outlierState()).isEqualTo(OutlierState.HALF_OPEN);
        send("/owa/", 8, (sub, server) -> OK); // ex01 heals: its 2 half-open calls succeed
        assertThat(stats("owa", "ex01").outlierState()).isEqualTo(OutlierState.NORMAL);
        assertThat(send("/owa/", 8, (sub, server) -> OK)).contains("ex01");
        assertThat(events).extracting(OutlierStateEvent::server, OutlierStateEvent::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ex01", OutlierState.EJECTED),
                org.assertj.core.groups.Tuple.tuple("ex01", OutlierState.HALF_OPEN),
                org.assertj.core.groups.Tuple.tuple("ex01", OutlierState.NORMAL));
    }

    @Test
    void halfOpenFailure_reEjectsWithDoubledBackoff_cappedAtTheMaximum() {
        start(detection().build());
        send("/owa/", 12, PassiveHealthTest::owaBrokenOnEx01);
        advance(Duration.ofSeconds(30));
        assertThat(stats("owa", "ex01").outlierState()).isEqualTo(OutlierState.HALF_OPEN);
        send("/owa/", 4, PassiveHealthTest::owaBrokenOnEx01);
        RealServerStats again = stats("owa", "ex01");
        assertThat(again.outlierState()).isEqualTo(OutlierState.EJECTED);
        assertThat(again.outlierReason()).startsWith("failure while half-open: status 503; ejected for PT1M");
        advance(Duration.ofSeconds(59));
        assertThat(stats("owa", "ex01").outlierState()).isEqualTo(OutlierState.EJECTED);
        advance(Duration.ofSeconds(1));
        send("/owa/", 4, PassiveHealthTest::owaBrokenOnEx01);
        assertThat(stats("owa", "ex01").outlierReason()).contains("ejected for PT1M40S (ejection 3)");
        assertThat(stats("owa", "ex01").ejections()).isEqualTo(3);
    }

    @Test
    void maxEjectionPercent_isNeverExceeded() {
        start(detection().maxEjectionPercent(50).build());
        send("/owa/", 40, (sub, server) -> server.equals("ex04") ? OK : UNAVAILABLE);
        long ejected = engine.stats().virtualServices().get(0).subServices().get(0).realServers().stream()
                .filter(s -> s.outlierState() == OutlierState.EJECTED).count();
        assertThat(ejected).as("50% of 4 servers").isEqualTo(2);
        assertThat(send("/owa/", 12, (sub, server) -> OK)).contains("ex04").hasSize(12).doesNotContain("-");
    }

    @Test
    void activeDownAndEjected_serverReturnsOnlyWhenBothAllow() {
        start(detection().build());
        send("/owa/", 12, PassiveHealthTest::owaBrokenOnEx01);
        engine.setHealth("mail", "owa", "ex01", Health.UP, "status 200"); // its probe passes: still ejected
        assertThat(send("/owa/", 12, (sub, server) -> OK)).doesNotContain("ex01");
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "status 503");
        advance(Duration.ofSeconds(30)); // ejection over, but the active check says down
        assertThat(stats("owa", "ex01").outlierState()).isEqualTo(OutlierState.HALF_OPEN);
        assertThat(send("/owa/", 12, (sub, server) -> OK)).doesNotContain("ex01");
        engine.setHealth("mail", "owa", "ex01", Health.UP, "status 200");
        assertThat(send("/owa/", 12, (sub, server) -> OK)).contains("ex01");
        assertThat(stats("owa", "ex01").outlierState()).isEqualTo(OutlierState.NORMAL);
    }

    @Test
    void failureRate_overTheWindow_ejectsWithoutConsecutiveFailures() {
        start(detection().consecutiveFailures(100).failureRate(50, 10, 10).build());
        int[] calls = new int[1];
        send("/owa/", 40, (sub, server) -> server.equals("ex01") && calls[0]++ % 2 == 0 ? UNAVAILABLE : OK);
        RealServerStats ex01 = stats("owa", "ex01");
        assertThat(ex01.outlierState()).isEqualTo(OutlierState.EJECTED);
        assertThat(ex01.outlierReason()).startsWith("failure rate 50% of the last 10 calls (threshold 50%)");
    }

    @Test
    void cancelledAndClientErrors_neverEject() {
        start(detection().build());
        send("/owa/", 40, (sub, server) -> server.equals("ex01")
                ? Outcome.ofFailure(Outcome.Failure.CANCELLED, 1) : Outcome.ofStatus(404, 1));
        assertThat(stats("owa", "ex01").outlierState()).isEqualTo(OutlierState.NORMAL);
        assertThat(detector.findOutlierState("mail", "owa", "ex01")).contains(OutlierState.NORMAL);
    }
}
