package dev.switchboard.cluster;

import static dev.switchboard.cluster.FleetEngines.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.engine.DispatchEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fleet admin states and reconfigurations, on two members with real engines: a server (or a sub-service) that a
 * reconfiguration adds on B takes the state set on A while B's configuration lacked it, within a second; a state the
 * configuration edits on a kept server applies on that member only.
 */
class ClusterReconfigureAdminStateTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final TestFleet fleet = new TestFleet();
    private final List<DispatchEngine> engines = new ArrayList<>();
    private DispatchEngine engineA;
    private DispatchEngine engineB;

    @AfterEach
    void close() {
        engines.forEach(DispatchEngine::close);
        fleet.close();
    }

    /** Virtual service {@code mail}: {@code owa} (the default) and others (path {@code /<name>}), each with these. */
    private static LoadBalancer model(Map<String, List<RealServer>> subServices) {
        VirtualService.Builder vs = VirtualService.builder("mail").scheduling(SchedulingMethod.ROUND_ROBIN);
        List<String> names = new ArrayList<>(new TreeSet<>(subServices.keySet()));
        names.remove("owa");
        names.add(0, "owa"); // a fixed order: equal maps give equal models
        for (String name : names) {
            List<RealServer> servers = subServices.get(name);
            SubService.Builder b = SubService.builder(name);
            b = name.equals("owa") ? b.asDefault() : b.matchAny(ContentRule.pathPrefix("/" + name));
            servers.forEach(b::realServer);
            vs.subService(b.build());
        }
        return LoadBalancer.builder().virtualService(vs.build()).build();
    }

    private static List<RealServer> servers(String... names) {
        List<RealServer> list = new ArrayList<>();
        for (String n : names) {
            list.add(RealServer.of(n, "10.0.0." + n.substring(2) + ":443"));
        }
        return list;
    }

    private void pair(LoadBalancer modelA, LoadBalancer modelB) throws InterruptedException {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        engineA = DispatchEngine.builder(modelA).fleet(a.fleet()).build();
        engines.add(engineA);
        engineB = DispatchEngine.builder(modelB).fleet(b.fleet()).build();
        engines.add(engineB);
    }

    @Test
    void hostWideDrain_setOnAWhileBLacksTheServer_appliesOnBWithinASecondOfTheReconfigurationThatAddsIt()
            throws Exception {
        pair(model(Map.of("owa", servers("ex01", "ex02", "ex03"), "ews", servers("ex01", "ex02", "ex03"))),
                model(Map.of("owa", servers("ex01", "ex03"), "ews", servers("ex01", "ex03"))));

        assertThat(engineA.setAdminState("ex02", AdminState.DRAINING, Duration.ofSeconds(30)).get(5, TimeUnit.SECONDS))
                .as("B's configuration has no ex02: drained there, trivially").isTrue();
        assertThat(engineB.reconfigure(model(Map.of("owa", servers("ex01", "ex02", "ex03"),
                "ews", servers("ex01", "ex02", "ex03"))))).isTrue();

        Eventually.until("B's ex02 takes the fleet's drain", ONE_SECOND,
                () -> state(engineB, "owa", "ex02") == AdminState.DRAINING
                        && state(engineB, "ews", "ex02") == AdminState.DRAINING);
        assertThat(state(engineB, "owa", "ex01")).isEqualTo(AdminState.ENABLED);
        assertThat(state(engineB, "ews", "ex03")).isEqualTo(AdminState.ENABLED);
    }

    @Test
    void subServiceAddedOnB_takesTheHostWideAndItsOwnStatesSetOnA() throws Exception {
        pair(model(Map.of("owa", servers("ex01", "ex02"), "ecp", servers("ex01", "ex02"))),
                model(Map.of("owa", servers("ex01", "ex02"))));
        assertThat(engineA.setAdminState("mail", "ecp", "ex01", AdminState.DISABLED, Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS)).as("B answered: it holds the state, though it has no ecp").isTrue();
        assertThat(engineA.setAdminState("ex02", AdminState.DRAINING, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .isTrue();
        assertThat(state(engineB, "owa", "ex02")).isEqualTo(AdminState.DRAINING);
        assertThat(engineB.stats().findRealServer("mail", "ecp", "ex01")).isEmpty();

        engineB.reconfigure(model(Map.of("owa", servers("ex01", "ex02"), "ecp", servers("ex01", "ex02"))));

        Eventually.until("B's new ecp takes both states", ONE_SECOND,
                () -> state(engineB, "ecp", "ex01") == AdminState.DISABLED
                        && state(engineB, "ecp", "ex02") == AdminState.DRAINING);
        assertThat(state(engineB, "owa", "ex01")).isEqualTo(AdminState.ENABLED);
        assertThat(state(engineB, "owa", "ex02")).isEqualTo(AdminState.DRAINING);
    }

    @Test
    void configurationEditingAKeptServersState_winsOnThatMemberOnly_andLaterAddsStillTakeTheFleetsState()
            throws Exception {
        pair(model(Map.of("owa", servers("ex01", "ex02", "ex03"))), model(Map.of("owa", servers("ex01", "ex02"))));
        assertThat(engineA.setAdminState("ex02", AdminState.DRAINING, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .isTrue();
        assertThat(engineA.setAdminState("ex03", AdminState.DISABLED, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .as("B answered: it holds the state, though it has no ex03").isTrue();
        assertThat(state(engineB, "owa", "ex02")).isEqualTo(AdminState.DRAINING);

        List<RealServer> edited = List.of(RealServer.of("ex01", "10.0.0.1:443"),
                RealServer.builder("ex02", "10.0.0.2:443").initialState(AdminState.DISABLED).build(),
                RealServer.of("ex03", "10.0.0.3:443"));
        engineB.reconfigure(model(Map.of("owa", edited)));

        Eventually.until("B's added ex03 takes the fleet's state", ONE_SECOND,
                () -> state(engineB, "owa", "ex03") == AdminState.DISABLED);
        assertThat(state(engineB, "owa", "ex02")).as("the configuration's edit, on B").isEqualTo(AdminState.DISABLED);
        assertThat(state(engineA, "owa", "ex02")).as("not shipped: A keeps the fleet's state")
                .isEqualTo(AdminState.DRAINING);
    }
}
