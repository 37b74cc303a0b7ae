package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.respond;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.event.EngineListener;
import dev.switchboard.api.event.HealthEvent;
import dev.switchboard.api.event.SubServiceStateEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SubServiceHealthTest {

    private DispatchEngine engine;
    private final List<SubServiceStateEvent> events = new ArrayList<>();

    @AfterEach
    void close() {
        engine.close();
    }

    private void engine(SubService.Builder sub, boolean withSorry) {
        for (int i = 1; i <= 4; i++) {
            sub.realServer(RealServer.of("ex0" + i, "10.0.0." + i + ":443"));
        }
        if (withSorry) {
            sub.sorryServer(Address.parse("10.9.9.9:80"));
        }
        engine = DispatchEngine.builder(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).subService(sub.asDefault().build()).build()).build())
                .listener(new EngineListener() {
                    @Override
                    public void onSubServiceState(SubServiceStateEvent event) {
                        events.add(event);
                        throw new IllegalStateException("a failing listener must not break the engine");
                    }
                }).build();
    }

    private SubServiceStats stats() {
        return engine.stats().virtualServices().get(0).subServices().get(0);
    }

    @Test
    void belowMinimumHealthy_subServiceIsDown_sorryServerTakesOver_andComesBack() {
        engine(SubService.builder("owa").minHealthyServers(2), true);
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "GET /owa/healthcheck.htm: 503");
        engine.setHealth("mail", "owa", "ex02", Health.DOWN, "timeout");
        assertThat(stats().state()).isEqualTo("up");
        engine.setHealth("mail", "owa", "ex03", Health.DOWN, "connection refused");
        assertThat(stats().state()).isEqualTo("down");
        assertThat(stats().healthyServers()).isEqualTo(1);
        assertThat(forward(engine.dispatch("mail", get("/"))).target().sorry()).isTrue();
        assertThat(events).extracting(SubServiceStateEvent::state).containsExactly("down");
        assertThat(engine.stats().findRealServer("mail", "owa", "ex03").orElseThrow().healthReason())
                .isEqualTo("connection refused");
        engine.setHealth("mail", "owa", "ex03", Health.UP, "ok");
        assertThat(stats().state()).isEqualTo("up");
        assertThat(forward(engine.dispatch("mail", get("/"))).target().sorry()).isFalse();
        assertThat(events).extracting(SubServiceStateEvent::state).containsExactly("down", "up");
    }

    @Test
    void belowMinimumWithoutSorryServer_answers503NamingTheReason() {
        engine(SubService.builder("owa").minHealthyServers(4), false);
        engine.setHealth("mail", "owa", "ex04", Health.DOWN, "x");
        var r = respond(engine.dispatch("mail", get("/")));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.reason()).contains("is down").contains("3 healthy").contains("minimum 4");
    }

    @Test
    void belowPanicThreshold_balancesAcrossAllEnabledServers() {
        engine(SubService.builder("owa").panicThreshold(50), false);
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "x");
        Set<String> normal = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            normal.add(serverOf(engine.dispatch("mail", get("/"))));
        }
        assertThat(normal).containsExactlyInAnyOrder("ex02", "ex03", "ex04");
        engine.setHealth("mail", "owa", "ex02", Health.DOWN, "x");
        engine.setHealth("mail", "owa", "ex03", Health.DOWN, "x"); // 1 of 4 healthy: under 50 %
        assertThat(stats().state()).isEqualTo("panic");
        Set<String> panic = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            panic.add(serverOf(engine.dispatch("mail", get("/"))));
        }
        assertThat(panic).as("the last healthy server is not crushed").hasSize(4);
        assertThat(engine.explain("mail", get("/")).steps()).anyMatch(s -> s.contains("PANIC"));
    }

    @Test
    void reconfigure_withHealthChecks_acceptedAsPartOfTheModel_verdictsOfKeptServersKept() {
        engine(SubService.builder("owa"), false);
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "status 503");
        HealthCheck check = HealthCheck.http().path("/owa/healthcheck.htm").expectStatus(200).build();
        SubService.Builder owa = SubService.builder("owa").asDefault().healthCheck(check);
        for (int i = 1; i <= 4; i++) {
            owa.realServer(RealServer.of("ex0" + i, "10.0.0." + i + ":443"));
        }
        LoadBalancer next = LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).subService(owa.build()).build()).build();

        engine.reconfigure(next);

        assertThat(engine.model().virtualServices().get(0).subServices().get(0).findHealthCheck()).containsSame(check);
        assertThat(engine.stats().findRealServer("mail", "owa", "ex01").orElseThrow().healthReason())
                .isEqualTo("status 503");
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            picked.add(serverOf(forward(engine.dispatch("mail", get("/")))));
        }
        assertThat(picked).containsExactlyInAnyOrder("ex02", "ex03", "ex04");
    }

    @Test
    void newServers_ofASubServiceWithACheck_startInTheChecksInitialState_andItsFirstVerdictIsNoChange() {
        List<HealthEvent> health = new ArrayList<>();
        SubService.Builder owa = SubService.builder("owa").asDefault()
                .healthCheck(HealthCheck.http().path("/owa/healthcheck.htm").build())       // starts down
                .realServer(RealServer.of("ex01", "10.0.0.1:443"));
        SubService.Builder ews = SubService.builder("ews").matchAny(ContentRule.pathPrefix("/ews"))
                .healthCheck(HealthCheck.http().path("/ews/healthcheck.htm").initialState(Health.UP).build())
                .realServer(RealServer.of("ex01", "10.0.0.1:443"));
        SubService.Builder pub = SubService.builder("pub").matchAny(ContentRule.pathPrefix("/pub"))   // no check: up
                .realServer(RealServer.of("ex01", "10.0.0.1:443"));
        engine = DispatchEngine.builder(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .subService(owa.build()).subService(ews.build()).subService(pub.build()).build()).build())
                .listener(new EngineListener() {
                    @Override
                    public void onHealth(HealthEvent event) {
                        health.add(event);
                    }
                }).build();

        assertThat(respond(engine.dispatch("mail", get("/owa/"))).status()).isEqualTo(503);
        assertThat(engine.stats().findRealServer("mail", "owa", "ex01").orElseThrow().healthReason())
                .isEqualTo("not checked yet");
        assertThat(serverOf(forward(engine.dispatch("mail", get("/ews/"))))).isEqualTo("ex01");
        assertThat(serverOf(forward(engine.dispatch("mail", get("/pub/"))))).isEqualTo("ex01");

        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "not checked yet");   // the checker's first report
        assertThat(health).as("no up -> down for a server that was never up").isEmpty();
        engine.setHealth("mail", "owa", "ex01", Health.UP, "status 200");
        assertThat(serverOf(forward(engine.dispatch("mail", get("/owa/"))))).isEqualTo("ex01");
        assertThat(health).extracting(HealthEvent::previous, HealthEvent::current)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Health.DOWN, Health.UP));
    }
}
