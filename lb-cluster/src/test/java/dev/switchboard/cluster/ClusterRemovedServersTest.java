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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two members with real engines sharing their source-IP table through the fleet: when A's configuration drops a
 * real server, the entries naming it go from B's table too, though B's configuration still has the server.
 */
class ClusterRemovedServersTest {

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

    private static LoadBalancer model(List<String> servers) {
        SubService.Builder owa = SubService.builder("owa");
        for (String s : servers) {
            owa.realServer(RealServer.of(s, "10.0.0." + s.substring(3) + ":443"));
        }
        return LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).persistence(Persistence.builder(PersistenceMode.SOURCE_IP)
                        .build()).subService(owa.asDefault().build()).build()).build();
    }

    /** The server the engine's table pins {@code client} to, from a dry-run trace; null when none. */
    private static String pinnedTo(DispatchEngine engine, String client) {
        String trace = engine.explain("mail", FleetEngines.request(client).build()).toString();
        int at = trace.indexOf("client is on ");
        return at < 0 ? null : trace.substring(at + 13, trace.indexOf(',', at));
    }

    private static long entries(DispatchEngine engine) {
        return engine.stats().findVirtualService("mail").orElseThrow().persistenceEntries();
    }

    @Test
    void reconfigureAWithoutAServer_dropsItsEntriesOnB_andKeepsTheOthers() throws Exception {
        List<String> four = List.of("ex01", "ex02", "ex03", "ex04");
        engineA = DispatchEngine.builder(model(four)).fleet(fleet.start().fleet()).build();
        engineB = DispatchEngine.builder(model(four)).fleet(fleet.start().fleet()).build();
        Map<String, String> pins = new LinkedHashMap<>();
        for (int i = 0; i < CLIENTS; i++) {
            pins.put("192.0.2." + (10 + i), FleetEngines.visit(engineA, "192.0.2." + (10 + i)));
        }
        Eventually.until("B holds A's entries", () -> entries(engineB) == CLIENTS);
        long onEx02 = pins.values().stream().filter("ex02"::equals).count();
        assertThat(onEx02).isPositive();

        engineA.reconfigure(model(List.of("ex01", "ex03", "ex04")));

        assertThat(entries(engineA)).isEqualTo(CLIENTS - onEx02);
        Eventually.until("B dropped ex02's entries", () -> entries(engineB) == CLIENTS - onEx02);
        pins.forEach((client, server) -> assertThat(pinnedTo(engineB, client)).as("client %s was on %s", client,
                server).isEqualTo(server.equals("ex02") ? null : server));
    }
}
