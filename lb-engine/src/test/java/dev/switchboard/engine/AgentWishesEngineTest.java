package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentWishesEngineTest {

    private DispatchEngine engine;

    @BeforeEach
    void start() {
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.WEIGHTED_ROUND_ROBIN).subService(SubService.builder("owa").asDefault()
                        .realServer(RealServer.builder("ex01", "10.0.0.1:443").weight(10).build())
                        .realServer(RealServer.builder("ex02", "10.0.0.2:443").weight(10).build()).build())
                .build()).build());
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private RealServerStats ex01() {
        return engine.stats().findRealServer("mail", "owa", "ex01").orElseThrow();
    }

    @Test
    void weightPercent_scalesTheEffectiveWeight_zeroTakesNoNewClients() {
        assertThat(engine.setAgentWishes("mail", "owa", "ex01", 30, AdminState.ENABLED, "agent: 30%")).isTrue();
        assertThat(ex01().effectiveWeight()).isEqualTo(3);
        assertThat(ex01().weight()).as("the configured weight stays").isEqualTo(10);
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 130; i++) {
            picks.merge(serverOf(engine.dispatch("mail", get("/"))), 1, Integer::sum);
        }
        assertThat(picks.get("ex01")).isBetween(20, 40);
        engine.setAgentWishes("mail", "owa", "ex01", 0, AdminState.ENABLED, "agent: 0%");
        for (int i = 0; i < 10; i++) {
            assertThat(serverOf(engine.dispatch("mail", get("/")))).isEqualTo("ex02");
        }
    }

    @Test
    void agentState_neverOverridesTheOperator_andOperatorTakesOwnershipBack() {
        engine.setAgentWishes("mail", "owa", "ex01", 100, AdminState.DRAINING, "agent: drain");
        assertThat(ex01().state()).isEqualTo(AdminState.DRAINING);
        assertThat(ex01().stateByAgent()).isTrue();
        engine.setAdminState("ex01", AdminState.DISABLED, Duration.ZERO);
        engine.setAgentWishes("mail", "owa", "ex01", 100, AdminState.ENABLED, "agent: ready");
        assertThat(ex01().state()).isEqualTo(AdminState.DISABLED);
        assertThat(ex01().stateByAgent()).isFalse();
    }

    @Test
    void badInput_isRejectedOrNotApplied() {
        assertThatThrownBy(() -> engine.setAgentWishes("mail", "owa", "ex01", 101, AdminState.ENABLED, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weightPercent: 101 (expected: 0..100)");
        assertThat(engine.setAgentWishes("mail", "owa", "nope", 50, AdminState.ENABLED, "x")).isFalse();
    }
}
