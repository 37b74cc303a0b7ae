package dev.switchboard.examples.gateway.fleet;

import static dev.switchboard.examples.gateway.fleet.HttpFleet.BY_IP;
import static dev.switchboard.examples.gateway.fleet.HttpFleet.PLAIN;
import static dev.switchboard.examples.gateway.fleet.HttpFleet.byIp;
import static dev.switchboard.examples.gateway.fleet.HttpFleet.sourceIps;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.examples.gateway.fleet.HttpFleet.Member;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet statistics between reference gateways that are JVMs of their own: {@code GET /api/stats?scope=cluster} on one
 * member lists every live member and sums each counter over them, checked against each member's own
 * {@code GET /api/stats} after real traffic through both. Members publish their document every second, so the sum
 * is polled for (bounded) until it catches up.
 */
class FleetStatsProcessTest {

    private static final List<String> SERVERS = List.of("ex01", "ex02", "ex03");
    /** One publication period (1 s) plus slack for a loaded machine. */
    private static final Duration CATCH_UP = Duration.ofSeconds(10);

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
    void trafficThroughAAndB_clusterStatsOnB_listBothAlive_eachCounterIsTheSumOfTheMembersOwn() throws Exception {
        List<Member> all = HttpFleet.members("a", "b");
        Member a = all.get(0);
        Member b = all.get(1);
        GatewayProcess gatewayA = fleet.start(a, all);
        GatewayProcess gatewayB = fleet.start(b, all);
        plain(a, 5);
        byIp(a, sourceIps(2, 3));
        plain(b, 7);
        byIp(b, sourceIps(10, 4));
        JsonNode localA = gatewayA.stats();
        JsonNode localB = gatewayB.stats();
        assertThat(GatewayProcess.virtualService(localA, PLAIN).path("totalRequests").asLong()).isEqualTo(5);
        assertThat(GatewayProcess.virtualService(localB, PLAIN).path("totalRequests").asLong()).isEqualTo(7);
        Map<String, Long> expected = new HashMap<>();
        for (String vs : List.of(PLAIN, BY_IP)) {
            expected.put(vs, requests(localA, vs) + requests(localB, vs));
            for (String server : SERVERS) {
                expected.put(vs + "/" + server, serverRequests(localA, vs, server) + serverRequests(localB, vs, server));
            }
        }
        assertThat(expected).containsEntry(PLAIN, 12L).containsEntry(BY_IP, 7L);

        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            Eventually.until("B's cluster stats to sum A's and B's counters", CATCH_UP, () -> {
                JsonNode doc = gatewayB.clusterStats();
                last.set(doc);
                return sums(doc).equals(expected);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": expected " + expected + ", last " + sums(last.get()), e);
        }

        JsonNode cluster = last.get();
        assertThat(cluster.path("scope").asText()).isEqualTo("cluster");
        assertThat(cluster.path("members")).hasSize(2).allMatch(m -> m.path("alive").asBoolean(),
                "alive").allMatch(m -> m.path("summed").asBoolean(), "summed");
        assertThat(cluster.path("members").findValuesAsText("name"))
                .containsExactlyInAnyOrder(a.advertisedAddress(), b.advertisedAddress());
        assertThat(cluster.path("members")).filteredOn(m -> m.path("self").asBoolean())
                .extracting(m -> m.path("name").asText()).containsExactly(b.advertisedAddress());
    }

    /** {@code count} requests through {@code m}'s {@value HttpFleet#PLAIN}, each answered 200. */
    private static void plain(Member m, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            FleetClients.Reply reply = FleetClients.get("127.0.0.1", m.plain(), Optional.empty());
            assertThat(reply.status()).as("request %d through %s", i, m.name()).isEqualTo(200);
        }
    }

    /** Each virtual service's {@code totalRequests}, and each real server's, of a stats document. */
    private static Map<String, Long> sums(JsonNode stats) {
        Map<String, Long> out = new HashMap<>();
        for (String vs : List.of(PLAIN, BY_IP)) {
            out.put(vs, requests(stats, vs));
            for (String server : SERVERS) {
                out.put(vs + "/" + server, serverRequests(stats, vs, server));
            }
        }
        return out;
    }

    private static long requests(JsonNode stats, String vs) {
        return GatewayProcess.virtualService(stats, vs).path("totalRequests").asLong(-1);
    }

    private static long serverRequests(JsonNode stats, String vs, String server) {
        for (JsonNode s : GatewayProcess.virtualService(stats, vs).path("subServices")) {
            for (JsonNode r : s.path("realServers")) {
                if (r.path("name").asText().equals(server)) {
                    return r.path("totalRequests").asLong(-1);
                }
            }
        }
        return -1;
    }
}
