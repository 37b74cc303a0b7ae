package dev.switchboard.examples.gateway.fleet;

import static dev.switchboard.examples.gateway.fleet.HttpFleet.BY_IP;
import static dev.switchboard.examples.gateway.fleet.HttpFleet.byIp;
import static dev.switchboard.examples.gateway.fleet.HttpFleet.sourceIps;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.cluster.testing.Relay;
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
 * Two reference gateways, JVMs of their own, whose cluster traffic goes only through TCP relays in the test JVM
 * ({@code cluster.bind} = the real port, {@code cluster.member} = the relay's address): cutting both relays closes
 * the cluster port between them for real. Each side keeps pinning and serving clients from its own table during the
 * cut; once the relays heal, Hazelcast merges the two clusters and each side follows the pins the other made meanwhile,
 * observed from outside through the admin API and real requests.
 */
class FleetPartitionProcessTest {

    private static final List<String> SERVERS = List.of("ex01", "ex02", "ex03");
    /** Hazelcast notices a silent peer after 5 s; a loaded 2-core machine gets some slack. */
    private static final Duration SPLIT_LIMIT = Duration.ofSeconds(30);
    /** Hazelcast looks for the other side every 5 s and merges; then the sides exchange their tables. */
    private static final Duration HEAL_LIMIT = Duration.ofSeconds(30);
    private static final int BEFORE = 3;
    private static final int DURING = 6;

    @TempDir
    Path dir;

    private HttpFleet fleet;
    private final List<Relay> relays = new ArrayList<>();

    @BeforeEach
    void realServers() throws Exception {
        fleet = new HttpFleet(dir, SERVERS.toArray(String[]::new));
    }

    @AfterEach
    void stopAll() throws Exception {
        try {
            fleet.close();
        } finally {
            relays.forEach(Relay::close);
        }
    }

    @Test
    void pairCutApart_eachSidePinsClientsDuringTheCut_afterTheHealEachSideFollowsTheOthersPins() throws Exception {
        List<Member> all = new ArrayList<>();
        for (Member m : HttpFleet.members("a", "b")) {
            Relay relay = new Relay(m.cluster());
            relays.add(relay);
            all.add(m.advertisedAt(relay.port()));
        }
        Member a = all.get(0);
        Member b = all.get(1);
        GatewayProcess gatewayA = fleet.start(a, all);
        GatewayProcess gatewayB = fleet.start(b, all);
        assertThat(gatewayB.log()).as("B joined A").anyMatch(l -> l.contains("ready, 2 member(s)"));
        // one connection carries both directions: whichever dialled first went through the other's relay
        assertThat(relays.stream().mapToLong(Relay::relayed).sum()).as("they met through the relays").isPositive();
        List<String> before = byIp(a, sourceIps(2, BEFORE));
        Eventually.until("B to hold A's pins before the cut", Duration.ofSeconds(10),
                () -> gatewayB.persistenceEntries(BY_IP) == BEFORE);

        relays.forEach(Relay::cut);
        Eventually.until("each side to see itself alone", SPLIT_LIMIT,
                () -> aliveMembers(gatewayA) == 1 && aliveMembers(gatewayB) == 1);
        List<String> throughA = sourceIps(10, DURING);
        List<String> throughB = sourceIps(20, DURING);
        List<String> pinsA = byIp(a, throughA); // each answered 200: served from the local table
        List<String> pinsB = byIp(b, throughB);
        assertThat(pinsA).as("pins through A during the cut").hasSameElementsAs(SERVERS);
        assertThat(pinsB).as("pins through B during the cut").hasSameElementsAs(SERVERS);
        assertThat(byIp(b, sourceIps(2, BEFORE))).as("A's earlier pins, through B during the cut").isEqualTo(before);
        assertThat(gatewayA.persistenceEntries(BY_IP)).as("A's table during the cut").isEqualTo(BEFORE + DURING);
        assertThat(gatewayB.persistenceEntries(BY_IP)).as("B's table during the cut").isEqualTo(BEFORE + DURING);

        long healed = System.nanoTime();
        relays.forEach(Relay::heal);
        int union = BEFORE + 2 * DURING;
        try {
            Eventually.until("A and B merged, each holding the union", HEAL_LIMIT,
                    () -> aliveMembers(gatewayA) == 2 && aliveMembers(gatewayB) == 2
                            && gatewayA.persistenceEntries(BY_IP) == union
                            && gatewayB.persistenceEntries(BY_IP) == union);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; alive " + aliveMembers(gatewayA) + "/"
                    + aliveMembers(gatewayB) + ", entries " + gatewayA.persistenceEntries(BY_IP) + "/"
                    + gatewayB.persistenceEntries(BY_IP) + " (expected " + union + ")", e);
        }
        System.out.printf("partition healed: both sides held the union %d ms after the relays healed%n",
                (System.nanoTime() - healed) / 1_000_000);

        assertThat(byIp(b, reversed(throughA))).as("A's cut-time clients through B").isEqualTo(reversed(pinsA));
        assertThat(byIp(a, reversed(throughB))).as("B's cut-time clients through A").isEqualTo(reversed(pinsB));
        assertThat(gatewayA.persistenceEntries(BY_IP)).as("no new pin was made by those requests").isEqualTo(union);
    }

    /** The members {@code gateway}'s fleet stats list as alive (itself included). */
    private static long aliveMembers(GatewayProcess gateway) {
        long alive = 0;
        for (JsonNode m : gateway.clusterStats().path("members")) {
            if (m.path("alive").asBoolean()) {
                alive++;
            }
        }
        return alive;
    }

    private static List<String> reversed(List<String> list) {
        List<String> out = new ArrayList<>(list);
        Collections.reverse(out);
        return out;
    }
}
