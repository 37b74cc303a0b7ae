package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.RealServerStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An agent's wishes applied by a real {@link DispatchEngine}, read from a plain ServerSocket agent. */
class AgentWishesTest {

    private DispatchEngine engine;
    private HealthChecker checker;
    private AgentCheckTest.Agent agent;

    @BeforeEach
    void start() throws Exception {
        SubService.Builder owa = SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"));
        SubService.Builder ews = SubService.builder("ews").asDefault();
        for (String name : new String[] {"ex01", "ex02"}) {
            owa.realServer(RealServer.builder(name, "10.0.0.1:443").weight(4).build());
            ews.realServer(RealServer.builder(name, "10.0.0.1:443").weight(4).build());
        }
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.WEIGHTED_ROUND_ROBIN).subService(owa.build()).subService(ews.build())
                .build()).build());
        agent = new AgentCheckTest.Agent("up\n");
        checker = HealthChecker.builder(engine).seed(7).build();
        HealthCheck check = HealthCheck.agent().interval(Duration.ofMillis(20)).rise(1).fall(1).build();
        checker.add(HealthTarget.of("mail", "owa", "ex01", Address.of("127.0.0.1", agent.port()), check));
    }

    @AfterEach
    void stop() throws Exception {
        checker.close();
        engine.close();
        agent.close();
    }

    private RealServerStats stats(String sub, String server) {
        return engine.stats().findRealServer("mail", sub, server).orElseThrow();
    }

    private Map<String, Integer> picks(String path, int n) {
        Map<String, Integer> count = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Decision d = engine.dispatch("mail", HttpRequest.builder().scheme("https").authority("mail.example.com")
                    .target(path).build());
            if (d instanceof Decision.Forward f) {
                count.merge(f.target().server(), 1, Integer::sum);
                f.release(Outcome.ofStatus(200, 1));
            }
        }
        return count;
    }

    @Test
    void weightPercent_scalesTheEffectiveWeightInThatSubServiceOnly() {
        agent.answer("75%\n");
        Eventually.until("75 % applied", () -> stats("owa", "ex01").effectiveWeight() == 3);
        assertThat(stats("owa", "ex01").agentWeightPercent()).isEqualTo(75);
        assertThat(stats("ews", "ex01").effectiveWeight()).isEqualTo(4);
        agent.answer("up 25%\n");
        Eventually.until("25 % applied", () -> stats("owa", "ex01").effectiveWeight() == 1);
        assertThat(picks("/owa/", 100).get("ex01")).as("weight 1 against 4: about a fifth").isBetween(14, 26);
        assertThat(picks("/ews/", 100).get("ex01")).as("weight 4 against 4 in ews").isBetween(40, 60);
    }

    @Test
    void drainThenReady_drainsAndReturnsTheServer() {
        agent.answer("drain\n");
        Eventually.until("drained by the agent", () -> stats("owa", "ex01").state() == AdminState.DRAINING);
        assertThat(stats("owa", "ex01").stateByAgent()).isTrue();
        assertThat(picks("/owa/", 10)).doesNotContainKey("ex01");
        agent.answer("ready\n");
        Eventually.until("enabled again", () -> stats("owa", "ex01").state() == AdminState.ENABLED);
        assertThat(picks("/owa/", 10)).containsKey("ex01");
    }

    @Test
    void maintThenUp_disablesAndReturnsTheServer() {
        agent.answer("maint\n");
        Eventually.until("disabled by the agent", () -> stats("owa", "ex01").state() == AdminState.DISABLED);
        assertThat(stats("ews", "ex01").state()).as("only the checked sub-service").isEqualTo(AdminState.ENABLED);
        agent.answer("up\n");
        Eventually.until("enabled again", () -> stats("owa", "ex01").state() == AdminState.ENABLED);
    }

    @Test
    void operatorDisable_isNeverUndoneByTheAgent() {
        agent.answer("drain\n");
        Eventually.until("drained by the agent", () -> stats("owa", "ex01").state() == AdminState.DRAINING);
        engine.setAdminState("mail", "owa", "ex01", AdminState.DISABLED, Duration.ZERO);
        agent.answer("ready 50%\n");
        Eventually.until("the weight still follows the agent", () -> stats("owa", "ex01").agentWeightPercent() == 50);
        assertThat(stats("owa", "ex01").state()).isEqualTo(AdminState.DISABLED);
        assertThat(stats("owa", "ex01").stateByAgent()).isFalse();
        agent.answer("maint 60%\n");
        Eventually.until("the maint answer was read", () -> stats("owa", "ex01").agentWeightPercent() == 60);
        assertThat(stats("owa", "ex01").state()).isEqualTo(AdminState.DISABLED);
        assertThat(stats("owa", "ex01").stateByAgent()).isFalse();
    }

    @Test
    void removingTheCheck_withdrawsTheWishes() {
        agent.answer("drain 50%\n");
        Eventually.until("drained by the agent", () -> stats("owa", "ex01").state() == AdminState.DRAINING);
        checker.remove(HealthTarget.of("mail", "owa", "ex01", Address.of("127.0.0.1", agent.port()),
                HealthCheck.agent().interval(Duration.ofMillis(20)).rise(1).fall(1).build()));
        Eventually.until("wishes withdrawn", () -> stats("owa", "ex01").state() == AdminState.ENABLED
                && stats("owa", "ex01").effectiveWeight() == 4);
    }
}
