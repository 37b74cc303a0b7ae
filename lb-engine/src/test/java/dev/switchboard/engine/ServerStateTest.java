package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.respond;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Address;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Health;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.MatchType;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerStateTest {

    private DispatchEngine engine;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private DispatchEngine engine(SubService.Builder sub) {
        return engine(VirtualService.builder("mail").subService(sub.build()));
    }

    private DispatchEngine engine(VirtualService.Builder vs) {
        engine = DispatchEngine.builder(LoadBalancer.builder().virtualService(vs.build()).build())
                .ticker(now::get).build();
        return engine;
    }

    private static SubService.Builder pool(String... servers) {
        SubService.Builder b = SubService.builder("owa").asDefault();
        for (int i = 0; i < servers.length; i++) {
            b.realServer(RealServer.of(servers[i], "10.0.0." + (i + 1) + ":443"));
        }
        return b;
    }

    private Map<String, Integer> spread(int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(serverOf(engine.dispatch("mail", get("/owa/"))), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void draining_takesNoNewClients_andFutureCompletesWhenLastLeaseEnds() throws Exception {
        engine(pool("ex01", "ex02"));
        Decision.Forward onEx01 = null;
        for (int i = 0; i < 4 && onEx01 == null; i++) {
            Decision.Forward f = forward(engine.dispatch("mail", get("/owa/")));
            if (f.target().server().equals("ex01")) {
                onEx01 = f;
            } else {
                f.release(Outcome.ofStatus(200, 0));
            }
        }
        assertThat(onEx01).isNotNull();
        CompletableFuture<Boolean> drained = engine.setAdminState("ex01", AdminState.DRAINING, Duration.ofMinutes(1));
        assertThat(drained).isNotDone();
        assertThat(spread(20)).containsOnlyKeys("ex02");
        onEx01.release(Outcome.ofStatus(200, 0));
        assertThat(drained.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.stats().findRealServer("mail", "owa", "ex01").orElseThrow().state())
                .isEqualTo(AdminState.DRAINING);
    }

    @Test
    void draining_deadlinePassesWithLeaseOpen_completesFalse() throws Exception {
        engine(pool("ex01"));
        Decision.Forward open = forward(engine.dispatch("mail", get("/owa/")));
        CompletableFuture<Boolean> drained = engine.setAdminState("ex01", AdminState.DRAINING, Duration.ofMillis(50));
        assertThat(drained.get(5, TimeUnit.SECONDS)).isFalse();
        open.release(Outcome.ofStatus(200, 0));
    }

    @Test
    void disabledAndEnabledAgain_serverLeavesAndReturns() {
        engine(pool("ex01", "ex02"));
        assertThat(engine.setAdminState("mail", "owa", "ex01", AdminState.DISABLED, Duration.ZERO)).isNotNull();
        assertThat(spread(10)).containsOnlyKeys("ex02");
        assertThat(engine.setAdminState("ex01", AdminState.ENABLED, Duration.ZERO)).isCompletedWithValue(true);
        assertThat(spread(10)).containsOnlyKeys("ex01", "ex02");
    }

    @Test
    void setAdminState_unknownServer_throwsNamingIt() {
        engine(pool("ex01"));
        assertThatThrownBy(() -> engine.setAdminState("ex09", AdminState.DRAINING, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ex09");
        assertThatThrownBy(() -> engine.setAdminState("mail", "ews", "ex01", AdminState.DRAINING, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mail/ews/ex01");
    }

    @Test
    void healthDown_removesServerFromThatSubServiceOnly() {
        engine(VirtualService.builder("mail")
                .subService(SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"))
                        .realServer(RealServer.of("ex01", "10.0.0.1:443"))
                        .realServer(RealServer.of("ex02", "10.0.0.2:443")).build())
                .subService(SubService.builder("ews").matchAny(ContentRule.pathPrefix("/ews"))
                        .realServer(RealServer.of("ex01", "10.0.0.1:443"))
                        .realServer(RealServer.of("ex02", "10.0.0.2:443")).build()));
        assertThat(engine.setHealth("mail", "owa", "ex01", Health.DOWN, "GET /owa/healthcheck.htm: 503")).isTrue();
        assertThat(engine.setHealth("mail", "owa", "ex07", Health.DOWN, "x")).isFalse();
        assertThat(spread(10)).containsOnlyKeys("ex02");
        Map<String, Integer> ews = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            ews.merge(serverOf(engine.dispatch("mail", get("/ews/"))), 1, Integer::sum);
        }
        assertThat(ews).containsOnlyKeys("ex01", "ex02");
    }

    @Test
    void weightZero_takesNoNewTraffic() {
        engine(SubService.builder("owa").asDefault()
                .realServer(RealServer.builder("ex01", "10.0.0.1:443").weight(0).build())
                .realServer(RealServer.of("ex02", "10.0.0.2:443")));
        assertThat(spread(10)).containsOnlyKeys("ex02");
    }

    @Test
    void nothingEligible_answers503WithRetryAfter() {
        engine(pool("ex01"));
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "test");
        Decision.Respond r = respond(engine.dispatch("mail", get("/owa/")));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).contains(HeaderEdit.set("Retry-After", "5"));
        assertThat(engine.stats().virtualServices().get(0).subServices().get(0).rejected()).isEqualTo(1);
    }

    @Test
    void sorryServer_subServiceOverridesVirtualService_andTakesNoSlot() {
        engine(VirtualService.builder("mail").sorryServer(Address.parse("10.9.9.9:80"))
                .subService(SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"))
                        .sorryServer(Address.parse("10.8.8.8:80"))
                        .realServer(RealServer.of("ex01", "10.0.0.1:443")).build())
                .subService(SubService.builder("other").asDefault()
                        .realServer(RealServer.of("ex01", "10.0.0.1:443")).build()));
        engine.setAdminState("ex01", AdminState.DISABLED, Duration.ZERO);
        Decision.Forward owa = forward(engine.dispatch("mail", get("/owa/")));
        assertThat(owa.target().sorry()).isTrue();
        assertThat(owa.target().address()).isEqualTo(Address.parse("10.8.8.8:80"));
        Decision.Forward other = forward(engine.dispatch("mail", get("/x")));
        assertThat(other.target().address()).isEqualTo(Address.parse("10.9.9.9:80"));
        owa.release(Outcome.ofStatus(200, 0));
        owa.release(Outcome.ofStatus(200, 0));
        assertThat(engine.stats().findRealServer("mail", "owa", "ex01").orElseThrow().activeConnections()).isZero();
        assertThat(engine.stats().virtualServices().get(0).subServices().get(0).sorry()).isEqualTo(1);
    }

    @Test
    void backups_takeTrafficOnlyWhileTooFewPrimariesAreUsable() {
        engine(SubService.builder("owa").asDefault().minPrimaryServers(2)
                .realServer(RealServer.of("ex01", "10.0.0.1:443"))
                .realServer(RealServer.of("ex02", "10.0.0.2:443"))
                .realServer(RealServer.builder("dr01", "10.1.0.1:443").backup().build()));
        assertThat(spread(20)).containsOnlyKeys("ex01", "ex02");
        engine.setHealth("mail", "owa", "ex02", Health.DOWN, "test");
        assertThat(spread(20)).containsOnlyKeys("ex01", "dr01");
        engine.setHealth("mail", "owa", "ex02", Health.UP, "test");
        assertThat(spread(20)).containsOnlyKeys("ex01", "ex02");
    }

    @Test
    void slowStart_returningServerRampsUnderLeastConnection() {
        engine(VirtualService.builder("mail").scheduling(SchedulingMethod.LEAST_CONNECTION)
                .slowStart(Duration.ofSeconds(100)).subService(pool("ex01", "ex02", "ex03").build()));
        engine.setHealth("mail", "owa", "ex03", Health.DOWN, "test");
        List<Decision.Forward> held = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            held.add(forward(engine.dispatch("mail", get("/owa/")))); // 20 each on ex01 and ex02
        }
        engine.setHealth("mail", "owa", "ex03", Health.UP, "back");
        now.addAndGet(Duration.ofSeconds(5).toNanos()); // 5% into the ramp
        int toEx03 = 0;
        for (int i = 0; i < 30; i++) {
            Decision.Forward f = forward(engine.dispatch("mail", get("/owa/")));
            held.add(f);
            toEx03 += f.target().server().equals("ex03") ? 1 : 0;
        }
        assertThat(toEx03).as("a returning server at 5%% ramp must not take every new request").isLessThan(10);
        now.addAndGet(Duration.ofSeconds(100).toNanos()); // ramp over: least connection evens out
        int later = 0;
        for (int i = 0; i < 30; i++) {
            Decision.Forward f = forward(engine.dispatch("mail", get("/owa/")));
            held.add(f);
            later += f.target().server().equals("ex03") ? 1 : 0;
        }
        assertThat(later).isGreaterThan(20);
        held.forEach(f -> f.release(Outcome.ofStatus(200, 0)));
    }

    @Test
    void reconfigure_serverAddedToRunningPool_rampsUpUnderSlowStart() {
        engine(VirtualService.builder("mail").scheduling(SchedulingMethod.ROUND_ROBIN)
                .slowStart(Duration.ofSeconds(100)).subService(pool("ex01", "ex02").build()));
        engine.reconfigure(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).slowStart(Duration.ofSeconds(100))
                .subService(pool("ex01", "ex02", "ex03").build()).build()).build());
        now.addAndGet(Duration.ofSeconds(10).toNanos()); // 10% into the new server's ramp
        Map<String, Integer> early = spread(3000);
        assertThat(early.getOrDefault("ex03", 0)).as("about 0.1/2.1 of 3000 = 143").isBetween(60, 260);
        now.addAndGet(Duration.ofSeconds(100).toNanos());
        assertThat(spread(3000).get("ex03")).isBetween(900, 1100);
        DecisionTrace trace = engine.explain("mail", get("/owa/"));
        assertThat(String.join("\n", trace.steps())).contains("candidate ex03 10.0.0.3:443: enabled, up, weight 1, ramp 1000/1000");
    }

    @Test
    void reconfigure_keepsStateOfServersThatKeepTheirName_andInFlightLeases() {
        engine(pool("ex01", "ex02"));
        Decision.Forward inFlight = forward(engine.dispatch("mail", get("/owa/")));
        String server = inFlight.target().server();
        engine.setAdminState("ex02", AdminState.DRAINING, Duration.ZERO);
        engine.reconfigure(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .subService(pool("ex01", "ex02", "ex03").build()).build()).build());
        RealServerStats before = engine.stats().findRealServer("mail", "owa", server).orElseThrow();
        assertThat(before.activeConnections()).isEqualTo(1);
        assertThat(before.totalRequests()).isEqualTo(1);
        assertThat(engine.stats().findRealServer("mail", "owa", "ex02").orElseThrow().state())
                .isEqualTo(AdminState.DRAINING);
        inFlight.release(Outcome.ofStatus(200, 0));
        assertThat(engine.stats().findRealServer("mail", "owa", server).orElseThrow().activeConnections()).isZero();
        assertThat(spread(12)).containsOnlyKeys("ex01", "ex03");
    }

    @Test
    void reconfigure_invalidRegex_throwsWithPathsAndKeepsOldTable() {
        engine(pool("ex01"));
        LoadBalancer bad = LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .subService(SubService.builder("owa").matchAny(ContentRule.path(MatchType.REGEX, "^/owa(")).realServer(
                        RealServer.of("ex01", "10.0.0.1:443")).build())
                .subService(SubService.builder("x").matchAny(ContentRule.header("UA", MatchType.REGEX, "(a)\\1"))
                        .realServer(RealServer.of("ex01", "10.0.0.1:443")).build())
                .build()).build();
        assertThatThrownBy(() -> engine.reconfigure(bad)).isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).violations())
                        .extracting(v -> v.path())
                        .containsExactly("virtualServices[0].subServices[0].match[0].value",
                                "virtualServices[0].subServices[1].match[0].value"));
        assertThat(serverOf(engine.dispatch("mail", get("/anything")))).isEqualTo("ex01");
    }

    @Test
    void release_twice_isHarmless_andFailuresAreCounted() {
        engine(pool("ex01"));
        Decision.Forward f = forward(engine.dispatch("mail", get("/owa/")));
        assertThat(f.isReleased()).isFalse();
        f.release(Outcome.ofFailure(Outcome.Failure.CONNECT, 10));
        f.release(Outcome.ofStatus(200, 10));
        assertThat(f.isReleased()).isTrue();
        RealServerStats s = engine.stats().findRealServer("mail", "owa", "ex01").orElseThrow();
        assertThat(s.activeConnections()).isZero();
        assertThat(s.failures()).isEqualTo(1);
        Decision.Forward leaked = forward(engine.dispatch("mail", get("/owa/")));
        assertThat(leaked.isReleased()).isFalse();
        assertThat(engine.stats().findVirtualService("mail").orElseThrow().activeConnections())
                .as("a lease never released stays visible").isEqualTo(1);
    }
}
