package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.engine.DispatchEngine;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The replicated store under two real engines, one per member: what A's engine pinned, B's engine follows. */
class ClusterDispatchTest {

    private static final int CLIENTS = 40;

    private final TestFleet fleet = new TestFleet();
    private DispatchEngine engineA;
    private DispatchEngine engineB;

    @AfterEach
    void close() {
        for (DispatchEngine e : new DispatchEngine[] {engineA, engineB}) {
            if (e != null) {
                e.close();
            }
        }
        fleet.close();
    }

    /** An engine whose source-IP table is the member's store named in the persistence itself. */
    private static DispatchEngine engine(ClusterMember member) {
        Persistence sourceIp = Persistence.builder(PersistenceMode.SOURCE_IP)
                .store(member.persistenceStore("mail/owa")).build();
        return DispatchEngine.create(model(sourceIp));
    }

    /** An engine whose persistence names no store: the member supplies it as the engine's fleet. */
    private static DispatchEngine fleetEngine(ClusterMember member) {
        return DispatchEngine.builder(model(Persistence.builder(PersistenceMode.SOURCE_IP).build()))
                .fleet(member.fleet()).build();
    }

    private static LoadBalancer model(Persistence persistence) {
        SubService.Builder owa = SubService.builder("owa");
        for (int i = 1; i <= 4; i++) {
            owa.realServer(RealServer.of("ex0" + i, "10.0.0." + i + ":443"));
        }
        return LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).persistence(persistence)
                .subService(owa.asDefault().build()).build()).build();
    }

    @Test
    void sourceIp_clientPinnedOnAsEngine_isSentToTheSameServerByBsEngine() throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        engineA = engine(a);
        engineB = engine(b);
        pinnedOnA_followedByB();
    }

    @Test
    void fleet_persistenceNamingNoStore_isReplicatedThroughTheEnginesFleet() throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        engineA = fleetEngine(a);
        engineB = fleetEngine(b);
        pinnedOnA_followedByB();
    }

    private void pinnedOnA_followedByB() {
        Map<String, String> pinnedOnA = new LinkedHashMap<>();
        for (int i = 0; i < CLIENTS; i++) {
            String client = "192.0.2." + (10 + i);
            pinnedOnA.put(client, FleetEngines.visit(engineA, client));
        }
        assertThat(new HashSet<>(pinnedOnA.values())).as("round robin spread the clients on A").hasSize(4);
        for (int i = 0; i < 3; i++) {
            FleetEngines.visit(engineB, "198.51.100." + i);  // B's round robin is somewhere else than A's
        }

        Eventually.until("B's engine holds A's entries", () -> engineB.stats().findVirtualService("mail")
                .orElseThrow().persistenceEntries() == CLIENTS + 3);

        pinnedOnA.forEach((client, server) ->
                assertThat(FleetEngines.visit(engineB, client)).as("client %s through B", client).isEqualTo(server));
        Set<String> fresh = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            fresh.add(FleetEngines.visit(engineB, "203.0.113." + i));
        }
        assertThat(fresh).as("clients A never saw are spread by B's scheduler").hasSize(4);
    }
}
