package dev.switchboard.cluster;

import static dev.switchboard.cluster.FleetEngines.lease;
import static dev.switchboard.cluster.FleetEngines.state;
import static dev.switchboard.cluster.FleetEngines.visit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.engine.DispatchEngine;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Admin states across two members, each with a real engine built with {@code .fleet(member.fleet())}: a change set
 * on one engine applies on the other within a second, and the drain future waits for the other member's leases.
 */
class ClusterAdminStateTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final String[] SERVERS = {"ex01", "ex02", "ex03"};

    private final TestFleet fleet = new TestFleet();
    private final FleetEngines engines = new FleetEngines();
    private DispatchEngine engineA;
    private DispatchEngine engineB;

    @AfterEach
    void close() {
        engines.close();
        fleet.close();
    }

    private void pair() throws InterruptedException {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        engineA = engines.engine(a, SERVERS);
        engineB = engines.engine(b, SERVERS);
    }

    @Test
    void draining_setOnA_showsOnBWithinOneSecond_newClientsAvoidIt_pinnedClientsStay() throws Exception {
        pair();
        String pinned = visit(engineB, "192.0.2.1");

        engineA.setAdminState("mail", "owa", pinned, AdminState.DRAINING, Duration.ofMinutes(1));

        Eventually.until("B's engine shows the drain", ONE_SECOND,
                () -> state(engineB, "owa", pinned) == AdminState.DRAINING);
        assertThat(state(engineB, "ews", pinned)).as("only that sub-service").isEqualTo(AdminState.ENABLED);
        for (int i = 0; i < 9; i++) {
            assertThat(visit(engineB, "203.0.113." + i)).as("a new client through B").isNotEqualTo(pinned);
        }
        assertThat(visit(engineB, "192.0.2.1")).as("draining keeps persistent clients").isEqualTo(pinned);

        engineA.setAdminState("mail", "owa", pinned, AdminState.DISABLED, Duration.ofMinutes(1));

        Eventually.until("B's engine shows the server disabled", ONE_SECOND,
                () -> state(engineB, "owa", pinned) == AdminState.DISABLED);
        assertThat(visit(engineB, "192.0.2.1")).as("disabled takes nothing, not even persistent clients")
                .isNotEqualTo(pinned);
    }

    @Test
    void drainFuture_onA_completesOnlyAfterALeaseHeldOnBIsReleased() throws Exception {
        pair();
        Decision.Forward held = lease(engineB, "192.0.2.7");
        String server = held.target().server();

        CompletableFuture<Boolean> drained = engineA.setAdminState("mail", "owa", server, AdminState.DRAINING,
                Duration.ofSeconds(30));

        Eventually.until("B's engine shows the drain", ONE_SECOND,
                () -> state(engineB, "owa", server) == AdminState.DRAINING);
        assertThatThrownBy(() -> drained.get(300, TimeUnit.MILLISECONDS)).as("B still holds a lease")
                .isInstanceOf(TimeoutException.class);
        held.release(Outcome.ofStatus(200, 0));
        assertThat(drained.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void drainFuture_deadlinePassesWhileBHoldsALease_completesFalse() throws Exception {
        pair();
        Decision.Forward held = lease(engineB, "192.0.2.8");
        String server = held.target().server();

        CompletableFuture<Boolean> drained = engineA.setAdminState(server, AdminState.DRAINING,
                Duration.ofMillis(400));

        assertThat(drained.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(state(engineB, "owa", server)).isEqualTo(AdminState.DRAINING);
        held.release(Outcome.ofStatus(200, 0));
    }

    @Test
    void drainFuture_memberThatLeaves_isNotWaitedFor() throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        engineA = engines.engine(a, SERVERS);
        engineB = engines.engine(b, SERVERS);
        Decision.Forward held = lease(engineB, "192.0.2.9");
        String server = held.target().server();
        CompletableFuture<Boolean> drained = engineA.setAdminState(server, AdminState.DISABLED,
                Duration.ofSeconds(60));
        Eventually.until("B's engine shows it", ONE_SECOND,
                () -> state(engineB, "owa", server) == AdminState.DISABLED);
        assertThat(drained).isNotDone();

        b.close();

        assertThat(drained.get(15, TimeUnit.SECONDS)).as("B left: A does not wait for it").isTrue();
        held.release(Outcome.ofStatus(200, 0));
    }

    @Test
    void enabled_setOnBAfterADrainFromA_propagatesBackToA() throws Exception {
        pair();
        engineA.setAdminState("mail", "owa", "ex02", AdminState.DRAINING, Duration.ofMinutes(1));
        Eventually.until("B's engine shows the drain", ONE_SECOND,
                () -> state(engineB, "owa", "ex02") == AdminState.DRAINING);

        assertThat(engineB.setAdminState("mail", "owa", "ex02", AdminState.ENABLED, Duration.ZERO)
                .get(5, TimeUnit.SECONDS)).isTrue();

        Eventually.until("A's engine shows it enabled", ONE_SECOND,
                () -> state(engineA, "owa", "ex02") == AdminState.ENABLED);
        Set<String> fresh = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            fresh.add(visit(engineA, "198.51.100." + i));
        }
        assertThat(fresh).as("A sends new clients to ex02 again").contains("ex02");
    }

    @Test
    void hostWide_setOnA_appliesToEverySubServiceOnB() throws Exception {
        pair();

        CompletableFuture<Boolean> drained = engineA.setAdminState("ex03", AdminState.DISABLED,
                Duration.ofSeconds(30));

        Eventually.until("B's engine shows ex03 disabled everywhere", ONE_SECOND,
                () -> state(engineB, "owa", "ex03") == AdminState.DISABLED
                        && state(engineB, "ews", "ex03") == AdminState.DISABLED);
        assertThat(drained.get(5, TimeUnit.SECONDS)).as("no leases on either member").isTrue();
        assertThat(state(engineB, "owa", "ex01")).isEqualTo(AdminState.ENABLED);
    }
}
