package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.spi.AdminStateChange;
import dev.switchboard.api.spi.AdminStateSink;
import dev.switchboard.api.spi.Fleet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a reconfiguration does with a fleet's admin states, against an in-memory {@link Fleet} that holds the states
 * in force: the servers the new configuration adds take them, a kept server keeps its live state or takes the one the
 * configuration edits, nothing is shipped.
 */
class FleetReconfigureTest {

    private final List<DispatchEngine> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(DispatchEngine::close);
    }

    /** Holds the fleet's states in force, applies them at attach and to added servers; records what is shipped. */
    private static final class MemoryFleet implements Fleet {
        final List<AdminStateChange> inForce = new CopyOnWriteArrayList<>();
        final List<AdminStateChange> shipped = new CopyOnWriteArrayList<>();
        final List<AdminStateSink> reconfigured = new CopyOnWriteArrayList<>();
        volatile boolean fail;

        MemoryFleet(AdminStateChange... inForce) {
            this.inForce.addAll(List.of(inForce));
        }

        @Override
        public void attach(AdminStateSink sink) {
            applyAll(sink);
        }

        @Override
        public void reconfigured(AdminStateSink added) {
            reconfigured.add(added);
            if (fail) {
                throw new IllegalStateException("fleet gone");
            }
            applyAll(added);
        }

        private void applyAll(AdminStateSink sink) {
            for (AdminStateChange c : inForce) {
                if (sink.concerns(c)) {
                    sink.apply(c, Duration.ZERO);
                }
            }
        }

        @Override
        public CompletionStage<Boolean> adminStateSet(AdminStateChange change, Duration drainDeadline) {
            shipped.add(change);
            return CompletableFuture.completedFuture(true);
        }
    }

    private static SubService sub(String name, RealServer... servers) {
        SubService.Builder b = SubService.builder(name);
        if (name.equals("owa")) {
            b.asDefault();
        } else {
            b.matchAny(ContentRule.pathPrefix("/" + name));
        }
        for (RealServer s : servers) {
            b.realServer(s);
        }
        return b.build();
    }

    private static LoadBalancer model(SubService... subs) {
        VirtualService.Builder mail = VirtualService.builder("mail").scheduling(SchedulingMethod.ROUND_ROBIN);
        for (SubService s : subs) {
            mail.subService(s);
        }
        return LoadBalancer.builder().virtualService(mail.build()).build();
    }

    private static RealServer server(String name, int n) {
        return RealServer.of(name, "10.0.0." + n + ":443");
    }

    private DispatchEngine engine(Fleet fleet, LoadBalancer model) {
        DispatchEngine e = DispatchEngine.builder(model).fleet(fleet).build();
        engines.add(e);
        return e;
    }

    private static AdminState stateOf(DispatchEngine engine, String sub, String server) {
        return engine.stats().findRealServer("mail", sub, server).orElseThrow().state();
    }

    @Test
    void reconfigure_addingAServer_appliesTheFleetsHostWideStateToIt_withoutShipping() {
        MemoryFleet fleet = new MemoryFleet(AdminStateChange.host("ex02", AdminState.DRAINING));
        DispatchEngine e = engine(fleet, model(sub("owa", server("ex01", 1))));

        assertThat(e.reconfigure(model(sub("owa", server("ex01", 1), server("ex02", 2))))).isTrue();

        assertThat(stateOf(e, "owa", "ex02")).isEqualTo(AdminState.DRAINING);
        assertThat(stateOf(e, "owa", "ex01")).isEqualTo(AdminState.ENABLED);
        assertThat(fleet.shipped).isEmpty();
        for (int i = 0; i < 4; i++) {
            assertThat(serverOf(e.dispatch("mail", get("/")))).isEqualTo("ex01");
        }
    }

    @Test
    void reconfigure_addingASubService_appliesHostWideAndItsOwnStates_oldestFirst() {
        MemoryFleet fleet = new MemoryFleet(AdminStateChange.host("ex02", AdminState.DRAINING),
                new AdminStateChange("mail", "ecp", "ex01", AdminState.DISABLED),
                new AdminStateChange("mail", "ecp", "ex02", AdminState.ENABLED));
        DispatchEngine e = engine(fleet, model(sub("owa", server("ex01", 1))));

        e.reconfigure(model(sub("owa", server("ex01", 1)), sub("ecp", server("ex01", 1), server("ex02", 2),
                server("ex03", 3))));

        assertThat(stateOf(e, "ecp", "ex01")).isEqualTo(AdminState.DISABLED);
        assertThat(stateOf(e, "ecp", "ex02")).as("the newer per-sub-service state wins").isEqualTo(AdminState.ENABLED);
        assertThat(stateOf(e, "ecp", "ex03")).isEqualTo(AdminState.ENABLED);
        assertThat(stateOf(e, "owa", "ex01")).as("kept: not concerned").isEqualTo(AdminState.ENABLED);
    }

    @Test
    void reconfigure_editingAKeptServersState_winsOnThisMember_andTheSinkDoesNotConcernIt() {
        MemoryFleet fleet = new MemoryFleet(AdminStateChange.host("ex02", AdminState.DRAINING));
        DispatchEngine e = engine(fleet, model(sub("owa", server("ex01", 1), server("ex02", 2))));
        assertThat(stateOf(e, "owa", "ex02")).as("applied at attach").isEqualTo(AdminState.DRAINING);

        e.reconfigure(model(sub("owa", server("ex01", 1),
                RealServer.builder("ex02", "10.0.0.2:443").initialState(AdminState.DISABLED).build(),
                server("ex03", 3))));

        assertThat(stateOf(e, "owa", "ex02")).as("the configuration's edit").isEqualTo(AdminState.DISABLED);
        assertThat(fleet.reconfigured).hasSize(1);
        AdminStateSink added = fleet.reconfigured.get(0);
        assertThat(added.concerns(AdminStateChange.host("ex02", AdminState.DRAINING))).isFalse();
        assertThat(added.concerns(AdminStateChange.host("ex03", AdminState.DRAINING))).isTrue();
        assertThat(added.apply(AdminStateChange.host("ex02", AdminState.ENABLED), Duration.ZERO))
                .isCompletedWithValue(false);
        assertThat(stateOf(e, "owa", "ex02")).isEqualTo(AdminState.DISABLED);
        assertThat(fleet.shipped).isEmpty();
    }

    @Test
    void reconfigure_keepingAServerWithItsState_keepsTheLiveState_andAddsNothing_soTheFleetIsNotCalled() {
        MemoryFleet fleet = new MemoryFleet();
        DispatchEngine e = engine(fleet, model(sub("owa", server("ex01", 1), server("ex02", 2))));
        e.setAdminState("ex02", AdminState.DISABLED, Duration.ZERO);
        fleet.inForce.add(AdminStateChange.host("ex02", AdminState.ENABLED)); // would undo it, were it re-applied

        e.reconfigure(model(sub("owa", server("ex01", 1),
                RealServer.builder("ex02", "10.0.0.2:443").weight(5).build())));

        assertThat(fleet.reconfigured).isEmpty();
        assertThat(stateOf(e, "owa", "ex02")).isEqualTo(AdminState.DISABLED);
    }

    @Test
    void addedSink_ofAServerRemovedLater_orOfAClosedEngine_appliesNothing() {
        MemoryFleet fleet = new MemoryFleet();
        DispatchEngine e = engine(fleet, model(sub("owa", server("ex01", 1))));
        e.reconfigure(model(sub("owa", server("ex01", 1), server("ex02", 2))));
        AdminStateSink added = fleet.reconfigured.get(0);
        AdminStateChange drainEx02 = AdminStateChange.host("ex02", AdminState.DRAINING);
        assertThat(added.concerns(drainEx02)).isTrue();

        e.reconfigure(model(sub("owa", server("ex01", 1))));
        e.reconfigure(model(sub("owa", server("ex01", 1), server("ex02", 2))));
        assertThat(added.concerns(drainEx02)).as("ex02 was removed and added again: a new server").isFalse();
        assertThat(added.apply(drainEx02, Duration.ZERO)).isCompletedWithValue(false);
        assertThat(stateOf(e, "owa", "ex02")).isEqualTo(AdminState.ENABLED);

        AdminStateSink latest = fleet.reconfigured.get(1); // the removal added nothing: no call
        e.close();
        assertThat(latest.concerns(drainEx02)).isFalse();
        assertThat(latest.apply(drainEx02, Duration.ZERO)).isCompletedWithValue(false);
    }

    @Test
    void fleetThatThrowsOnReconfigured_isLogged_andTheSwapStands() {
        MemoryFleet fleet = new MemoryFleet(AdminStateChange.host("ex02", AdminState.DRAINING));
        fleet.fail = true;
        DispatchEngine e = engine(fleet, model(sub("owa", server("ex01", 1))));
        LoadBalancer next = model(sub("owa", server("ex01", 1), server("ex02", 2)));

        assertThat(e.reconfigure(next)).isTrue();

        assertThat(fleet.reconfigured).hasSize(1);
        assertThat(e.model()).isEqualTo(next);
        assertThat(stateOf(e, "owa", "ex02")).isEqualTo(AdminState.ENABLED);
    }
}
