package dev.switchboard.examples.gateway.admin;

import dev.switchboard.examples.testing.LoopbackPorts;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Address;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.cluster.ClusterMember;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.netty.transport.NettyTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.examples.gateway.admin.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/stats?scope=cluster} and the page's fleet section over real sockets, on two in-JVM members. */
class AdminFleetTest {

    private static final AdminSettings LOOPBACK = AdminSettings.of(Address.parse("127.0.0.1:0"), "");
    private static final Duration LIMIT = Duration.ofSeconds(15);
    private static final AtomicInteger FLEETS = new AtomicInteger();

    private static NettyTransport transport;

    private final String fleetName = "admin" + ProcessHandle.current().pid() + "-" + FLEETS.incrementAndGet();
    private final List<String> addresses = new ArrayList<>();
    private final List<ClusterMember> members = new ArrayList<>();
    private final List<AdminServer> servers = new ArrayList<>();
    private final List<TestGateway> gateways = new ArrayList<>();

    @BeforeAll
    static void transport() {
        transport = NettyTransport.create(1, true);
    }

    @AfterAll
    static void closeTransport() {
        transport.close();
    }

    @AfterEach
    void stop() {
        servers.forEach(s -> s.close(Duration.ZERO).join());
        for (int i = members.size() - 1; i >= 0; i--) {
            members.get(i).close();
        }
        gateways.forEach(g -> g.engine().close());
    }

    /** A started member that lists the members started before it, and this gateway's admin API on it. */
    private AdminClient memberWithAdmin(TestGateway gateway) throws InterruptedException {
        addresses.add("127.0.0.1:" + LoopbackPorts.pick());
        ClusterMember member = ClusterMember.builder().name(fleetName).member(addresses.get(addresses.size() - 1))
                .members(List.copyOf(addresses)).build();
        members.add(member);
        gateways.add(gateway);
        member.start();
        AdminServer server = AdminServer.bind(transport, gateway, LOOPBACK, ClusterFleetStats.publish(member, gateway));
        servers.add(server);
        return new AdminClient(server.localAddress());
    }

    private AdminClient alone(TestGateway gateway) {
        gateways.add(gateway);
        AdminServer server = AdminServer.bind(transport, gateway, LOOPBACK);
        servers.add(server);
        return new AdminClient(server.localAddress());
    }


    private static JsonNode fleet(AdminClient client) {
        HttpResponse<String> r = client.get("/api/stats?scope=cluster");
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r);
    }

    private static long mailTotal(JsonNode stats) {
        return stats.path("virtualServices").get(0).path("totalRequests").asLong();
    }

    private static long summedMembers(JsonNode fleet) {
        long n = 0;
        for (JsonNode m : fleet.path("members")) {
            n += m.path("summed").asBoolean() ? 1 : 0;
        }
        return n;
    }

    @Test
    void statsScopeCluster_twoMembers_sumsBothOnEach_andShowsHealthDisagreement() throws Exception {
        AdminClient a = memberWithAdmin(new TestGateway().withTraffic()); // 5 requests, ews/ex03 DOWN
        TestGateway gb = new TestGateway();
        FleetStatsJsonTest.requests(gb, "/owa/x", 3);
        AdminClient b = memberWithAdmin(gb);

        for (AdminClient c : List.of(a, b)) {
            Eventually.until("both members summed", LIMIT, () -> summedMembers(fleet(c)) == 2);
            JsonNode f = fleet(c);
            assertThat(mailTotal(f)).isEqualTo(8);
            assertThat(f.path("members")).extracting(m -> m.path("name").asText())
                    .containsExactlyInAnyOrderElementsOf(addresses);
            assertThat(f.path("members").get(0).path("self").asBoolean()).isTrue();
            assertThat(f.path("healthDisagreements").asLong()).isEqualTo(1);
            JsonNode ex03 = f.path("virtualServices").get(0).path("subServices").get(1).path("realServers").get(1);
            assertThat(ex03.path("name").asText()).isEqualTo("ex03");
            assertThat(ex03.path("byMember").path(addresses.get(0)).path("health").asText()).isEqualTo("down");
            assertThat(ex03.path("byMember").path(addresses.get(1)).path("health").asText()).isEqualTo("up");
        }
        assertThat(mailTotal(json(a.get("/api/stats?scope=local")))).isEqualTo(5);
        assertThat(json(b.get("/api/stats")).has("members")).isFalse();

        HttpResponse<String> page = a.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<section class=\"fleet\" id=\"fleet\">")
                .contains("data-member=\"" + addresses.get(1) + "\"")
                .containsPattern("data-server=\"ex03\">[^\\n]*members disagree");
    }

    @Test
    void statsScopeCluster_memberClosed_isListedGone_andNoLongerSummed() throws Exception {
        AdminClient a = memberWithAdmin(new TestGateway().withTraffic());
        TestGateway gb = new TestGateway();
        FleetStatsJsonTest.requests(gb, "/owa/x", 3);
        memberWithAdmin(gb);
        Eventually.until("both members summed", LIMIT, () -> mailTotal(fleet(a)) == 8);

        members.get(1).close();

        Eventually.until("B gone", LIMIT, () -> !fleet(a).path("members").get(1).path("alive").asBoolean());
        JsonNode f = fleet(a);
        assertThat(f.path("members").get(1).path("name").asText()).isEqualTo(addresses.get(1));
        assertThat(f.path("members").get(1).path("summed").asBoolean()).isFalse();
        assertThat(mailTotal(f)).isEqualTo(5);
        assertThat(f.path("virtualServices").toString()).doesNotContain(addresses.get(1));
        assertThat(a.get("/stats/tables").body()).contains("<strong>gone</strong> (not summed)");
    }

    @Test
    void statsScopeCluster_gatewayAlone_answers404SayingSo() {
        AdminClient c = alone(new TestGateway());

        HttpResponse<String> r = c.get("/api/stats?scope=cluster");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("error").asText()).isEqualTo("scope: cluster (expected: local; this gateway runs"
                + " alone, its configuration has no cluster)");
        assertThat(c.get("/").body()).doesNotContain("class=\"fleet\"");
    }

    @Test
    void statsScope_unknownOrRepeated_answers400NamingIt() {
        AdminClient c = alone(new TestGateway());

        HttpResponse<String> bad = c.get("/api/stats?scope=fleet%3Cx%3E");
        HttpResponse<String> twice = c.get("/api/stats?scope=local&scope=cluster");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("error").asText()).isEqualTo("scope: fleet<x> (expected: local or cluster)");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(json(twice).path("error").asText()).startsWith("scope: local,cluster (expected:");
        assertThat(c.get("/api/stats?scope=local").statusCode()).isEqualTo(200);
    }
}
