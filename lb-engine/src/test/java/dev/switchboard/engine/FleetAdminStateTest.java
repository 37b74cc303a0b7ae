package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Decision;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's side of a fleet's admin states, against a hand-written in-memory {@link Fleet} (the SPI's test
 * double; lb-cluster tests the Hazelcast one): what is shipped, how the fleet's stage joins the local drain, and
 * that a change applied through the sink is not shipped back.
 */
class FleetAdminStateTest {

    private final List<DispatchEngine> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(DispatchEngine::close);
    }

    /** Records what the engine ships and answers with {@code answer}; {@code peers} apply it through their sinks. */
    private static final class MemoryFleet implements Fleet {
        final List<AdminStateChange> shipped = new CopyOnWriteArrayList<>();
        final List<AdminStateSink> sinks = new CopyOnWriteArrayList<>();
        final List<MemoryFleet> peers = new CopyOnWriteArrayList<>();
        volatile Function<AdminStateChange, CompletionStage<Boolean>> answer = c -> peersApply(c);

        @Override
        public void attach(AdminStateSink sink) {
            sinks.add(sink);
        }

        @Override
        public CompletionStage<Boolean> adminStateSet(AdminStateChange change, Duration drainDeadline) {
            shipped.add(change);
            return answer.apply(change);
        }

        private CompletionStage<Boolean> peersApply(AdminStateChange change) {
            CompletableFuture<Boolean> all = CompletableFuture.completedFuture(true);
            for (MemoryFleet peer : peers) {
                for (AdminStateSink sink : peer.sinks) {
                    all = all.thenCombine(sink.apply(change, Duration.ofMinutes(1)), (a, b) -> a && b);
                }
            }
            return all;
        }
    }

    private DispatchEngine engine(Fleet fleet, String... servers) {
        SubService.Builder owa = SubService.builder("owa").asDefault();
        for (int i = 0; i < servers.length; i++) {
            owa.realServer(RealServer.of(servers[i], "10.0.0." + (i + 1) + ":443"));
        }
        DispatchEngine e = DispatchEngine.builder(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).subService(owa.build()).build()).build()).fleet(fleet)
                .build();
        engines.add(e);
        return e;
    }

    private static AdminState stateOf(DispatchEngine engine, String server) {
        return engine.stats().findRealServer("mail", "owa", server).orElseThrow().state();
    }

    @Test
    void build_attachesOnce_andAPeersChangeAppliesHere_withoutBeingShippedBack() throws Exception {
        MemoryFleet fa = new MemoryFleet();
        MemoryFleet fb = new MemoryFleet();
        fa.peers.add(fb);
        fb.peers.add(fa);
        DispatchEngine a = engine(fa, "ex01", "ex02");
        DispatchEngine b = engine(fb, "ex01", "ex02");
        assertThat(fa.sinks).hasSize(1);

        CompletableFuture<Boolean> drained = a.setAdminState("mail", "owa", "ex01", AdminState.DRAINING,
                Duration.ofSeconds(5));

        assertThat(drained.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stateOf(b, "ex01")).isEqualTo(AdminState.DRAINING);
        assertThat(fa.shipped).containsExactly(new AdminStateChange("mail", "owa", "ex01", AdminState.DRAINING));
        assertThat(fb.shipped).as("a change applied through the sink is not shipped again").isEmpty();
        for (int i = 0; i < 6; i++) {
            assertThat(serverOf(b.dispatch("mail", get("/")))).isEqualTo("ex02");
        }
        a.setAdminState("ex01", AdminState.ENABLED, Duration.ZERO).get(5, TimeUnit.SECONDS);
        assertThat(stateOf(b, "ex01")).isEqualTo(AdminState.ENABLED);
        assertThat(fa.shipped).last().isEqualTo(AdminStateChange.host("ex01", AdminState.ENABLED));
    }

    @Test
    void drainFuture_waitsForTheFleetStage_afterTheLocalDrain() throws Exception {
        MemoryFleet fleet = new MemoryFleet();
        CompletableFuture<Boolean> remote = new CompletableFuture<>();
        fleet.answer = c -> remote;
        DispatchEngine a = engine(fleet, "ex01");
        Decision.Forward lease = forward(a.dispatch("mail", get("/")));

        CompletableFuture<Boolean> drained = a.setAdminState("ex01", AdminState.DRAINING, Duration.ofMinutes(1));
        remote.complete(true);
        assertThat(drained).as("the local lease is still held").isNotDone();
        lease.release(Outcome.ofStatus(200, 0));
        assertThat(drained).isCompletedWithValue(true);
    }

    @Test
    void drainFuture_waitsForTheLocalDrain_afterTheFleetStage() {
        MemoryFleet fleet = new MemoryFleet();
        CompletableFuture<Boolean> remote = new CompletableFuture<>();
        fleet.answer = c -> remote;
        DispatchEngine a = engine(fleet, "ex01");

        CompletableFuture<Boolean> drained = a.setAdminState("ex01", AdminState.DISABLED, Duration.ofMinutes(1));
        assertThat(drained).as("no lease here, but the fleet has not answered").isNotDone();
        remote.complete(true);
        assertThat(drained).isCompletedWithValue(true);
    }

    @Test
    void fleetStageFalse_completesFalseAtOnce_whileTheLocalDrainStillWaits() {
        MemoryFleet fleet = new MemoryFleet();
        fleet.answer = c -> CompletableFuture.completedFuture(false);
        DispatchEngine a = engine(fleet, "ex01");
        Decision.Forward lease = forward(a.dispatch("mail", get("/")));

        assertThat(a.setAdminState("ex01", AdminState.DRAINING, Duration.ofMinutes(1)))
                .isCompletedWithValue(false);
        lease.release(Outcome.ofStatus(200, 0));
    }

    @Test
    void fleetThatThrows_orFails_leavesTheStateApplied_andTheFutureFalse() {
        MemoryFleet fleet = new MemoryFleet();
        fleet.answer = c -> {
            throw new IllegalStateException("fleet is down");
        };
        DispatchEngine a = engine(fleet, "ex01", "ex02");

        assertThat(a.setAdminState("ex01", AdminState.DISABLED, Duration.ofMinutes(1))).isCompletedWithValue(false);
        assertThat(stateOf(a, "ex01")).isEqualTo(AdminState.DISABLED);

        fleet.answer = c -> CompletableFuture.failedFuture(new IllegalStateException("peer lost"));
        assertThat(a.setAdminState("ex02", AdminState.DRAINING, Duration.ofMinutes(1))).isCompletedWithValue(false);
        assertThat(stateOf(a, "ex02")).isEqualTo(AdminState.DRAINING);
    }

    @Test
    void fleetStageThatNeverCompletes_givesFalseAtTheDeadline() throws Exception {
        MemoryFleet fleet = new MemoryFleet();
        fleet.answer = c -> new CompletableFuture<>();
        DispatchEngine a = engine(fleet, "ex01");

        CompletableFuture<Boolean> drained = a.setAdminState("ex01", AdminState.DRAINING, Duration.ofMillis(50));

        assertThat(drained.get(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void unknownServer_throwsAndShipsNothing() {
        MemoryFleet fleet = new MemoryFleet();
        DispatchEngine a = engine(fleet, "ex01");

        assertThatThrownBy(() -> a.setAdminState("mail", "owa", "nope", AdminState.DRAINING, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("real server 'mail/owa/nope' is not in the configuration");
        assertThat(fleet.shipped).isEmpty();
    }

    @Test
    void sink_serverNotInThisConfiguration_isNotConcerned_andAnswersFalseAtOnce() {
        MemoryFleet fleet = new MemoryFleet();
        DispatchEngine a = engine(fleet, "ex01");
        AdminStateSink sink = fleet.sinks.get(0);
        AdminStateChange foreign = AdminStateChange.host("ex09", AdminState.DRAINING);

        assertThat(sink.concerns(foreign)).isFalse();
        assertThat(sink.concerns(AdminStateChange.host("ex01", AdminState.DRAINING))).isTrue();
        assertThat(sink.apply(foreign, Duration.ofMinutes(1)).toCompletableFuture()).isCompletedWithValue(false);
        assertThat(stateOf(a, "ex01")).isEqualTo(AdminState.ENABLED);
    }

    @Test
    void sink_appliesAHostWideChange_andItsDrainWaitsForTheLeases() {
        MemoryFleet fleet = new MemoryFleet();
        DispatchEngine a = engine(fleet, "ex01", "ex02");
        Decision.Forward lease = forward(a.dispatch("mail", get("/")));
        String held = lease.target().server();

        CompletableFuture<Boolean> drained = fleet.sinks.get(0).apply(AdminStateChange.host(held,
                AdminState.DRAINING), Duration.ofMinutes(1)).toCompletableFuture();

        assertThat(stateOf(a, held)).isEqualTo(AdminState.DRAINING);
        assertThat(drained).isNotDone();
        lease.release(Outcome.ofStatus(200, 0));
        assertThat(drained).isCompletedWithValue(true);
        assertThat(fleet.shipped).isEmpty();
    }

    @Test
    void sink_ofAClosedEngine_concernsNothing_andAppliesNothing() {
        MemoryFleet fleet = new MemoryFleet();
        DispatchEngine a = engine(fleet, "ex01");
        AdminStateSink sink = fleet.sinks.get(0);
        AdminStateChange drain = AdminStateChange.host("ex01", AdminState.DRAINING);

        a.close();

        assertThat(sink.concerns(drain)).as("a closed engine sends nothing to ex01").isFalse();
        assertThat(sink.apply(drain, Duration.ofMinutes(1)).toCompletableFuture()).isCompletedWithValue(false);
        assertThat(stateOf(a, "ex01")).isEqualTo(AdminState.ENABLED);
    }
}
