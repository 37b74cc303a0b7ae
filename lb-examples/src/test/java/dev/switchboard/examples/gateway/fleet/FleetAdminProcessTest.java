package dev.switchboard.examples.gateway.fleet;

import static dev.switchboard.examples.gateway.fleet.HttpFleet.BY_IP;
import static dev.switchboard.examples.gateway.fleet.HttpFleet.PLAIN;
import static dev.switchboard.examples.gateway.fleet.HttpFleet.POOL;
import static dev.switchboard.examples.gateway.fleet.HttpFleet.byIp;
import static dev.switchboard.examples.gateway.fleet.HttpFleet.sourceIps;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.examples.gateway.fleet.HttpFleet.Member;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster-wide admin states between reference gateways that are JVMs of their own: a state set through one member's
 * admin API shows in another member's admin API within a second and steers that member's scheduler ({@code draining}:
 * no new client, the clients persistence keeps there are still served), and a member that starts later starts with
 * it. Source-ip persistence with a /32 mask: each loopback source address is a client of its own.
 */
class FleetAdminProcessTest {

    private static final List<String> SERVERS = List.of("ex01", "ex02", "ex03");
    /** Issue 14: a state set on one member applies on every member within one second. */
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static final int PINNED = 6;
    private static final int FRESH = 12;

    @TempDir
    Path dir;

    private HttpFleet fleet;

    @BeforeEach
    void realServers() throws Exception {
        fleet = new HttpFleet(dir, SERVERS.toArray(String[]::new));
    }

    @AfterEach
    void stopAll() throws Exception {
        fleet.close();
    }

    @Test
    void drainSetOnA_showsOnBWithinASecond_BSendsNoNewClientThere_pinnedClientsStay_lateMemberStartsDrained()
            throws Exception {
        List<Member> all = HttpFleet.members("a", "b", "c");
        Member a = all.get(0);
        Member b = all.get(1);
        GatewayProcess gatewayA = fleet.start(a, all);
        GatewayProcess gatewayB = fleet.start(b, all);
        List<String> pinnedIps = sourceIps(2, PINNED);
        List<String> pins = byIp(a, pinnedIps);
        assertThat(pins).as("clients pinned through A").hasSameElementsAs(SERVERS);
        Eventually.until("B to hold A's pins", Duration.ofSeconds(10),
                () -> gatewayB.persistenceEntries(BY_IP) == PINNED);
        String drained = pins.get(0);

        JsonNode answer = gatewayA.setState(drained, "draining");
        long returned = System.nanoTime();
        assertThat(answer.path("httpStatus").asInt()).as("A's answer: %s", answer).isEqualTo(200);
        Duration shown = awaitState(gatewayB, drained, "draining", returned);
        System.out.printf("drain set on A showed on B %d ms after A answered%n", shown.toMillis());

        List<String> fresh = byIp(b, sourceIps(40, FRESH));
        assertThat(fresh).as("new clients through B").doesNotContain(drained)
                .hasSameElementsAs(without(SERVERS, drained));
        assertThat(byIp(b, reversed(pinnedIps))).as("pinned clients through B, the drained server's too")
                .isEqualTo(reversed(pins)).contains(drained);
        assertThat(gatewayA.serverState(BY_IP, POOL, drained)).as("A keeps its own change").isEqualTo("draining");

        GatewayProcess gatewayC = fleet.start(all.get(2), all);
        assertThat(List.of(gatewayC.serverState(BY_IP, POOL, drained), gatewayC.serverState(PLAIN, POOL, drained)))
                .as("C's states once ready, with no wait").containsOnly("draining");
        assertThat(byIp(all.get(2), sourceIps(60, FRESH))).as("new clients through the late member C")
                .doesNotContain(drained);
    }

    @Test
    void enabledSetOnB_afterADrainSetOnA_showsOnAWithinASecond_newClientsReachTheServerAgain() throws Exception {
        List<Member> all = HttpFleet.members("a", "b");
        Member a = all.get(0);
        GatewayProcess gatewayA = fleet.start(a, all);
        GatewayProcess gatewayB = fleet.start(all.get(1), all);
        String server = SERVERS.get(1);
        gatewayA.setState(server, "draining");
        awaitState(gatewayB, server, "draining", System.nanoTime());
        assertThat(byIp(a, sourceIps(40, FRESH))).as("new clients through A while drained").doesNotContain(server);

        JsonNode answer = gatewayB.setState(server, "enabled");
        long returned = System.nanoTime();
        assertThat(answer.path("httpStatus").asInt()).as("B's answer: %s", answer).isEqualTo(200);
        Duration shown = awaitState(gatewayA, server, "enabled", returned);
        System.out.printf("enable set on B showed on A %d ms after B answered%n", shown.toMillis());

        assertThat(byIp(a, sourceIps(60, FRESH))).as("new clients through A once enabled").contains(server)
                .hasSameElementsAs(SERVERS);
    }

    /**
     * Polls {@code gateway}'s admin API until {@code server} shows {@code state} in both virtual services (a host-wide
     * change sets its entries one after another); fails if it does not within {@link #WITHIN} of {@code fromNanos}
     * (the moment the other member's admin call returned). The time it took, up to the answer of the poll that saw it.
     */
    private static Duration awaitState(GatewayProcess gateway, String server, String state, long fromNanos) {
        String seen = "nothing";
        for (int poll = 0; poll < 10_000; poll++) {
            seen = gateway.serverState(BY_IP, POOL, server) + "/" + gateway.serverState(PLAIN, POOL, server);
            long took = System.nanoTime() - fromNanos;
            if (seen.equals(state + "/" + state)) {
                assertThat(Duration.ofNanos(took)).as("%s on %s", state, gateway.name()).isLessThanOrEqualTo(WITHIN);
                return Duration.ofNanos(took);
            }
            if (took > WITHIN.toNanos()) {
                break;
            }
        }
        throw new AssertionError(gateway.name() + " still shows " + server + " " + seen + " (" + BY_IP + "/" + PLAIN
                + "), not " + state + ", "
                + WITHIN.toMillis() + " ms after the change was answered");
    }

    private static List<String> without(List<String> list, String removed) {
        List<String> out = new ArrayList<>(list);
        out.remove(removed);
        return out;
    }

    private static List<String> reversed(List<String> list) {
        List<String> out = new ArrayList<>(list);
        Collections.reverse(out);
        return out;
    }
}
