package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.ip;
import static dev.switchboard.engine.Requests.request;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Decision;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin state of a real server that keeps its name across a reconfiguration: an edit of its configured state
 * is applied (the operator changed the file); an unchanged configured state keeps the live one (maybe set through
 * the admin API).
 */
class ReconfiguredStateTest {

    private static final Persistence NO_PERSISTENCE = Persistence.NONE;

    private DispatchEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static LoadBalancer model(AdminState ex01, int ex02Weight, Persistence persistence) {
        return LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).persistence(persistence)
                .subService(SubService.builder("owa").asDefault()
                        .realServer(RealServer.builder("ex01", "10.0.0.1:443").initialState(ex01).build())
                        .realServer(RealServer.builder("ex02", "10.0.0.2:443").weight(ex02Weight).build())
                        .build())
                .build()).build();
    }

    private void start(LoadBalancer model) {
        engine = DispatchEngine.create(model);
    }

    private AdminState ex01() {
        return engine.stats().findRealServer("mail", "owa", "ex01").orElseThrow().state();
    }

    private Map<String, Integer> spread(int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(serverOf(engine.dispatch("mail", get("/owa/"))), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void reconfigure_stateEditedInConfiguration_isApplied() {
        start(model(AdminState.ENABLED, 1, NO_PERSISTENCE));
        engine.reconfigure(model(AdminState.DRAINING, 1, NO_PERSISTENCE));
        assertThat(ex01()).isEqualTo(AdminState.DRAINING);
        assertThat(spread(10)).containsOnlyKeys("ex02");
        engine.reconfigure(model(AdminState.DISABLED, 1, NO_PERSISTENCE));
        assertThat(ex01()).isEqualTo(AdminState.DISABLED);
        engine.reconfigure(model(AdminState.ENABLED, 1, NO_PERSISTENCE));
        assertThat(ex01()).isEqualTo(AdminState.ENABLED);
        assertThat(spread(10)).containsOnlyKeys("ex01", "ex02");
    }

    @Test
    void reconfigure_stateEditedInConfiguration_overridesStateSetThroughAdminApi() {
        start(model(AdminState.ENABLED, 1, NO_PERSISTENCE));
        engine.setAdminState("ex01", AdminState.DISABLED, Duration.ZERO);
        engine.reconfigure(model(AdminState.DRAINING, 1, NO_PERSISTENCE));
        assertThat(ex01()).isEqualTo(AdminState.DRAINING);
    }

    @Test
    void reconfigure_stateUnchangedInConfiguration_keepsStateSetThroughAdminApi() {
        start(model(AdminState.ENABLED, 1, NO_PERSISTENCE));
        engine.setAdminState("ex01", AdminState.DISABLED, Duration.ZERO);
        engine.reconfigure(model(AdminState.ENABLED, 2, NO_PERSISTENCE)); // another server's weight changed
        assertThat(ex01()).isEqualTo(AdminState.DISABLED);
        assertThat(spread(10)).containsOnlyKeys("ex02");
    }

    @Test
    void reconfigure_configuredDisabledUnchanged_keepsServerEnabledThroughAdminApi() {
        start(model(AdminState.DISABLED, 1, NO_PERSISTENCE));
        assertThat(spread(6)).containsOnlyKeys("ex02");
        engine.setAdminState("ex01", AdminState.ENABLED, Duration.ZERO);
        engine.reconfigure(model(AdminState.DISABLED, 2, NO_PERSISTENCE));
        assertThat(ex01()).isEqualTo(AdminState.ENABLED);
        assertThat(spread(10)).containsOnlyKeys("ex01", "ex02");
    }

    @Test
    void reconfigure_drainingInConfiguration_keepsPersistentClientsAndTakesNoNewOnes() {
        Persistence sourceIp = Persistence.builder(PersistenceMode.SOURCE_IP).build();
        start(model(AdminState.ENABLED, 1, sourceIp));
        String pinned = null;
        for (int host = 1; host < 20 && pinned == null; host++) {
            String client = "192.0.2." + host;
            if (visit(client).equals("ex01")) {
                pinned = client;
            }
        }
        assertThat(pinned).as("some client of 19 lands on ex01").isNotNull();

        engine.reconfigure(model(AdminState.DRAINING, 1, sourceIp));

        for (int i = 0; i < 5; i++) {
            assertThat(visit(pinned)).as("a persistent client keeps reaching its draining server").isEqualTo("ex01");
        }
        for (int net = 0; net < 20; net++) {
            assertThat(visit("198.51." + net + ".7")).as("a new client").isEqualTo("ex02");
        }
    }

    private String visit(String client) {
        Decision.Forward f = forward(engine.dispatch("mail", request("/owa/").source(ip(client)).build()));
        f.release(Outcome.ofStatus(200, 0));
        return f.target().server();
    }
}
