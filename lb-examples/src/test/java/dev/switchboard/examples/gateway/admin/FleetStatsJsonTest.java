package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FleetStatsJsonTest {

    private final TestGateway a = new TestGateway().withTraffic(); // 5 requests on mail/owa, ews/ex03 DOWN
    private final TestGateway b = new TestGateway();
    private final TestGateway gone = new TestGateway();

    @AfterEach
    void close() {
        a.engine().close();
        b.engine().close();
        gone.engine().close();
    }

    /** {@code n} requests to {@code path} on {@code gateway}, each released with a 200. */
    static void requests(TestGateway gateway, String path, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            Decision d = gateway.engine().dispatch("mail", HttpRequest.builder().target(path).authority("mail.test")
                    .source(InetAddress.getByName("10.1.0." + i)).build());
            ((Decision.Forward) d).release(Outcome.ofStatus(200, 100));
        }
    }

    private ObjectNode fleet() throws Exception {
        requests(b, "/owa/x", 3);
        requests(b, "/ews/x", 2);
        requests(gone, "/owa/x", 7);
        return FleetStatsJson.render(List.of(
                new FleetMember("127.0.0.1:5701", true, true, Duration.ofMillis(400), new byte[0]),
                new FleetMember("127.0.0.1:5702", true, false, Duration.ofMillis(250), StatsJson.bytes(b)),
                new FleetMember("127.0.0.1:5703", false, false, Duration.ofSeconds(30), StatsJson.bytes(gone)),
                new FleetMember("127.0.0.1:5704", true, false, Duration.ZERO, new byte[0]),
                new FleetMember("127.0.0.1:5705", true, false, Duration.ZERO,
                        "not json".getBytes(StandardCharsets.UTF_8))),
                StatsJson.render(a.engine().stats(), a));
    }

    private static JsonNode named(JsonNode array, String name) {
        for (JsonNode e : array) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + name + " in " + array);
    }

    @Test
    void render_members_listsLivenessAndWhatIsSummed() throws Exception {
        JsonNode members = fleet().path("members");

        assertThat(members).extracting(m -> m.path("name").asText()).containsExactly("127.0.0.1:5701",
                "127.0.0.1:5702", "127.0.0.1:5703", "127.0.0.1:5704", "127.0.0.1:5705");
        assertThat(members).extracting(m -> m.path("alive").asBoolean()).containsExactly(true, true, false, true, true);
        assertThat(members).extracting(m -> m.path("summed").asBoolean())
                .containsExactly(true, true, false, false, false);
        assertThat(members.get(0).path("self").asBoolean()).isTrue();
        assertThat(members.get(1).path("ageMillis").asLong()).isEqualTo(250);
        assertThat(members.get(3).path("error").asText()).isEqualTo("no stats document yet");
        assertThat(members.get(4).path("error").asText()).isEqualTo("unreadable stats document");
    }

    @Test
    void render_counters_areSummedOverLiveMembersOnly() throws Exception {
        JsonNode fleet = fleet();
        JsonNode mail = named(fleet.path("virtualServices"), "mail");
        JsonNode owa = named(mail.path("subServices"), "owa");
        JsonNode ews = named(mail.path("subServices"), "ews");

        assertThat(fleet.path("scope").asText()).isEqualTo("cluster");
        assertThat(mail.path("totalRequests").asLong()).isEqualTo(5 + 5);
        assertThat(mail.path("protocol").asText()).isEqualTo("http");
        assertThat(owa.path("totalRequests").asLong()).isEqualTo(5 + 3);
        assertThat(ews.path("totalRequests").asLong()).isEqualTo(2);
        long owaServers = 0;
        for (JsonNode r : owa.path("realServers")) {
            owaServers += r.path("totalRequests").asLong();
            assertThat(r.path("weight").asInt()).as("a setting, not summed").isEqualTo(1);
        }
        assertThat(owaServers).isEqualTo(8);
        assertThat(owa.path("healthyServers").asInt()).as("a gauge: this member's").isEqualTo(2);
        assertThat(named(owa.path("realServers"), "ex01").path("lastProbe").path("status").asInt()).isEqualTo(200);
        assertThat(fleet.path("virtualServices").toString()).as("a member that left is not in byMember")
                .contains("127.0.0.1:5702").doesNotContain("127.0.0.1:5703");
    }

    @Test
    void render_realServer_hasEachMembersFiguresAndHealth_andMarksDisagreement() throws Exception {
        JsonNode fleet = fleet();
        JsonNode mail = named(fleet.path("virtualServices"), "mail");
        JsonNode ex03 = named(named(mail.path("subServices"), "ews").path("realServers"), "ex03");
        JsonNode owaEx01 = named(named(mail.path("subServices"), "owa").path("realServers"), "ex01");

        assertThat(ex03.path("byMember").fieldNames()).toIterable()
                .containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
        assertThat(ex03.path("byMember").path("127.0.0.1:5701").path("health").asText()).isEqualTo("down");
        assertThat(ex03.path("byMember").path("127.0.0.1:5701").path("healthReason").asText())
                .isEqualTo(TestGateway.NASTY_REASON);
        assertThat(ex03.path("byMember").path("127.0.0.1:5702").path("health").asText()).isEqualTo("up");
        assertThat(ex03.path("byMember").path("127.0.0.1:5702").has("address")).isFalse();
        assertThat(ex03.path("healthAgrees").asBoolean()).isFalse();
        assertThat(ex03.path("stateAgrees").asBoolean()).isTrue();
        assertThat(ex03.path("totalRequests").asLong()).isEqualTo(
                ex03.path("byMember").path("127.0.0.1:5701").path("totalRequests").asLong()
                        + ex03.path("byMember").path("127.0.0.1:5702").path("totalRequests").asLong());
        assertThat(owaEx01.path("healthAgrees").asBoolean()).isTrue();
        assertThat(owaEx01.path("byMember").path("127.0.0.1:5701").path("lastProbe").path("reason").asText())
                .isEqualTo("status 200 <ok>");
        assertThat(owaEx01.path("byMember").path("127.0.0.1:5702").has("lastProbe")).isFalse();
        assertThat(fleet.path("healthDisagreements").asLong()).isEqualTo(1);
    }

    /** A member's document with one real server carrying {@code rate} and {@code latency} figures. */
    static byte[] figures(double current, double max, double errors, double p50, double p99) {
        return ("""
                {"virtualServices": [{"name": "mail", "subServices": [{"name": "owa", "realServers": [
                  {"name": "ex01", "totalRequests": 10,
                   "rate": {"current": %s, "maxLastMinute": %s, "errorsCurrent": %s},
                   "latency": {"count": 10, "p50Millis": %s, "p99Millis": %s, "p99AboveLastBucket": false}}]}]}]}
                """).formatted(current, max, errors, p50, p99).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void render_ratesAreSummed_percentilesAreTheHighestMembers() throws Exception {
        ObjectNode self = (ObjectNode) com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                .readTree(figures(120.5, 300, 1.5, 2.0, 9.75));
        JsonNode fleet = FleetStatsJson.render(List.of(
                new FleetMember("127.0.0.1:5701", true, true, Duration.ZERO, new byte[0]),
                new FleetMember("127.0.0.1:5702", true, false, Duration.ofMillis(300), figures(80.25, 100, 0, 3.5, 4)),
                new FleetMember("127.0.0.1:5703", false, false, Duration.ofSeconds(30), figures(999, 999, 9, 99, 99))),
                self);
        JsonNode ex01 = named(named(named(fleet.path("virtualServices"), "mail").path("subServices"), "owa")
                .path("realServers"), "ex01");

        assertThat(ex01.path("rate").path("current").asDouble()).isEqualTo(200.75);
        assertThat(ex01.path("rate").path("maxLastMinute").asDouble()).isEqualTo(400);
        assertThat(ex01.path("rate").path("errorsCurrent").asDouble()).isEqualTo(1.5);
        assertThat(ex01.path("latency").path("count").asLong()).isEqualTo(20);
        assertThat(ex01.path("latency").path("p50Millis").asDouble()).isEqualTo(3.5);
        assertThat(ex01.path("latency").path("p99Millis").asDouble()).isEqualTo(9.75);
        assertThat(ex01.path("byMember").path("127.0.0.1:5702").path("rate").path("current").asDouble())
                .as("each member's own rate kept").isEqualTo(80.25);
    }
}
