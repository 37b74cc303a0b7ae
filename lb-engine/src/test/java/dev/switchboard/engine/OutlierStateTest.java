package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Health;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's side of passive health: outlier states combined with health, limits, outcomes reported, events. */
class OutlierStateTest {

    private DispatchEngine engine;
    private final List<OutlierStateEvent> events = new ArrayList<>();
    private final List<String> outcomes = new ArrayList<>();

    @BeforeEach
    void start() {
        SubService.Builder owa = SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"))
                .outlierDetection(OutlierDetection.builder().maxEjectionPercent(50).halfOpenCalls(2).build());
        SubService.Builder ews = SubService.builder("ews").asDefault();
        for (int i = 1; i <= 4; i++) {
            owa.realServer(RealServer.of("ex0" + i, "10.0.0." + i + ":443"));
            ews.realServer(RealServer.of("ex0" + i, "10.0.0." + i + ":443"));
        }
        engine = DispatchEngine.builder(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).subService(owa.build()).subService(ews.build()).build())
                .build()).listener(new EngineListener() {
                    @Override
                    public void onOutlierState(OutlierStateEvent event) {
                        events.add(event);
                    }
                }).build();
        engine.setOutcomeListener((vs, sub, server, detection, outcome) -> {
            outcomes.add(sub + "/" + server + "/" + outcome.status());
            throw new IllegalStateException("a failing listener must not reach the host");
        });
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private Set<String> picks(String path, int n) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            seen.add(serverOf(engine.dispatch("mail", get(path))));
        }
        return seen;
    }

    private RealServerStats stats(String sub, String server) {
        return engine.stats().findRealServer("mail", sub, server).orElseThrow();
    }

    @Test
    void ejected_isOutOfThatSubServiceOnly_andBackWhenNormal() {
        assertThat(engine.setOutlierState("mail", "owa", "ex01", OutlierState.EJECTED, "5 consecutive failures"))
                .isTrue();
        assertThat(picks("/owa/", 12)).containsExactlyInAnyOrder("ex02", "ex03", "ex04");
        assertThat(picks("/ews/", 12)).contains("ex01");
        RealServerStats s = stats("owa", "ex01");
        assertThat(s.outlierState()).isEqualTo(OutlierState.EJECTED);
        assertThat(s.outlierReason()).isEqualTo("5 consecutive failures");
        assertThat(s.ejections()).isEqualTo(1);
        assertThat(s.health()).isEqualTo(Health.UP);
        engine.setOutlierState("mail", "owa", "ex01", OutlierState.NORMAL, "half-open calls succeeded");
        assertThat(picks("/owa/", 12)).contains("ex01");
        assertThat(events).extracting(OutlierStateEvent::state)
                .containsExactly(OutlierState.EJECTED, OutlierState.NORMAL);
    }

    @Test
    void ejection_beyondMaxPercent_isRefused() {
        assertThat(engine.setOutlierState("mail", "owa", "ex01", OutlierState.EJECTED, "x")).isTrue();
        assertThat(engine.setOutlierState("mail", "owa", "ex02", OutlierState.EJECTED, "x")).isTrue();
        assertThat(engine.setOutlierState("mail", "owa", "ex03", OutlierState.EJECTED, "x"))
                .as("50% of 4 is 2 servers").isFalse();
        assertThat(stats("owa", "ex03").outlierState()).isEqualTo(OutlierState.NORMAL);
        assertThat(picks("/owa/", 8)).containsExactlyInAnyOrder("ex03", "ex04");
    }

    @Test
    void ejectedButProbedUp_staysOut_andActiveDownStaysOutAfterReturn() {
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "status 503");
        engine.setOutlierState("mail", "owa", "ex01", OutlierState.EJECTED, "x");
        engine.setHealth("mail", "owa", "ex01", Health.UP, "status 200");
        assertThat(picks("/owa/", 12)).doesNotContain("ex01");
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "status 503");
        engine.setOutlierState("mail", "owa", "ex01", OutlierState.NORMAL, "ejection over");
        assertThat(picks("/owa/", 12)).as("the active verdict still says down").doesNotContain("ex01");
        engine.setHealth("mail", "owa", "ex01", Health.UP, "status 200");
        assertThat(picks("/owa/", 12)).contains("ex01");
    }

    @Test
    void halfOpen_takesAtMostHalfOpenCallsAtOnce() {
        for (String s : List.of("ex02", "ex03", "ex04")) {
            engine.setAdminState("mail", "owa", s, AdminState.DISABLED, Duration.ZERO);
        }
        engine.setOutlierState("mail", "owa", "ex01", OutlierState.HALF_OPEN, "ejection time over");
        Decision.Forward a = forward(engine.dispatch("mail", get("/owa/")));
        Decision.Forward b = forward(engine.dispatch("mail", get("/owa/")));
        Decision third = engine.dispatch("mail", get("/owa/"));
        assertThat(third).isInstanceOf(Decision.Queued.class);
        a.release(Outcome.ofStatus(200, 1));
        assertThat(((Decision.Queued) third).future()).isCompleted();
        b.release(Outcome.ofStatus(200, 1));
    }

    @Test
    void release_reportsOutcomesOfDetectingSubServicesOnly_andSwallowsListenerErrors() {
        forward(engine.dispatch("mail", get("/owa/"))).release(Outcome.ofStatus(503, 1));
        forward(engine.dispatch("mail", get("/ews/"))).release(Outcome.ofStatus(503, 1));
        assertThat(outcomes).hasSize(1).allMatch(o -> o.startsWith("owa/") && o.endsWith("/503"));
    }

    @Test
    void unknownServer_isNotApplied() {
        assertThat(engine.setOutlierState("mail", "owa", "nope", OutlierState.EJECTED, "x")).isFalse();
        assertThat(engine.setOutlierState("nope", "owa", "ex01", OutlierState.EJECTED, "x")).isFalse();
    }

    @Test
    void subServiceWithoutDetection_refusesEjection_andReconfigurationWithoutItReturnsEjectedServers() {
        assertThat(engine.setOutlierState("mail", "ews", "ex01", OutlierState.EJECTED, "x")).isFalse();
        engine.setOutlierState("mail", "owa", "ex01", OutlierState.EJECTED, "x");
        SubService.Builder owa = SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"));
        for (int i = 1; i <= 4; i++) {
            owa.realServer(RealServer.of("ex0" + i, "10.0.0." + i + ":443"));
        }
        engine.reconfigure(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).subService(owa.build()).subService(SubService.builder("ews")
                        .asDefault().realServer(RealServer.of("ex01", "10.0.0.1:443")).build()).build()).build());
        assertThat(stats("owa", "ex01").outlierState()).isEqualTo(OutlierState.NORMAL);
        assertThat(picks("/owa/", 8)).contains("ex01");
    }
}
