package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FleetStatsHtmlTest {

    private final TestGateway a = new TestGateway().withTraffic(); // ews/ex03 DOWN here, up on b
    private final TestGateway b = new TestGateway();

    @AfterEach
    void close() {
        a.engine().close();
        b.engine().close();
    }

    private String html() {
        ObjectNode fleet = FleetStatsJson.render(List.of(
                new FleetMember("127.0.0.1:5701", true, true, Duration.ZERO, new byte[0]),
                new FleetMember("127.0.0.1:5702", true, false, Duration.ofMillis(300), StatsJson.bytes(b)),
                new FleetMember("127.0.0.1:5703", false, false, Duration.ofSeconds(40), StatsJson.bytes(b))),
                StatsJson.render(a.engine().stats(), a));
        return FleetStatsHtml.render(fleet);
    }

    @Test
    void render_members_showLivenessAndAge() {
        String html = html();

        assertThat(html).contains("2 live of 3 members")
                .contains("<tr class=\"member alive self\" data-member=\"127.0.0.1:5701\"><td>127.0.0.1:5701"
                        + " (this member)</td><td>alive</td>")
                .contains("<tr class=\"member alive\" data-member=\"127.0.0.1:5702\"><td>127.0.0.1:5702</td>"
                        + "<td>alive</td><td class=\"num\">300 ms</td></tr>")
                .contains("<tr class=\"member gone\" data-member=\"127.0.0.1:5703\"><td>127.0.0.1:5703</td>"
                        + "<td><strong>gone</strong> (not summed)</td>");
    }

    @Test
    void render_disagreement_isMarkedOnTheServerAndEachMembersRowShowsItsHealth() {
        String html = html();

        assertThat(html).contains("1 health disagreements")
                .contains("<tr class=\"fleet-server disagree\" data-server=\"ex03\"><td class=\"name\" rowspan=\"3\">"
                        + "ex03 <strong class=\"disagree-mark\">members disagree</strong></td><td>fleet</td>"
                        + "<td class=\"state\">enabled</td><td class=\"health\">mixed</td>")
                .containsPattern("<tr class=\"by-member down disagree\" data-member=\"127.0.0.1:5701\">.*"
                        + "<strong>DOWN</strong>")
                .contains("<tr class=\"by-member disagree\" data-member=\"127.0.0.1:5702\"><td class=\"member\">"
                        + "127.0.0.1:5702</td><td class=\"state\">enabled</td><td class=\"health\">up</td>")
                .contains("<tr class=\"fleet-server\" data-server=\"ex01\">");
    }

    @Test
    void render_namesAndReasons_areEscaped() {
        String html = html();

        assertThat(html).doesNotContain("<script").doesNotContain("<img")
                .contains(Html.escape(TestGateway.NASTY_REASON))
                .contains("data-server=\"ex-02.b_c\"");
    }

    @Test
    void render_rate_isTheFleetsSumAndEachMembersOwn() throws Exception {
        ObjectNode fleet = FleetStatsJson.render(List.of(
                new FleetMember("127.0.0.1:5701", true, true, Duration.ZERO, new byte[0]),
                new FleetMember("127.0.0.1:5702", true, false, Duration.ZERO,
                        FleetStatsJsonTest.figures(80.25, 100, 0, 3.5, 4))),
                (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        FleetStatsJsonTest.figures(120.5, 300, 1.5, 2, 9.75)));

        assertThat(FleetStatsHtml.render(fleet)).contains("<th>req/s</th>")
                .contains("<td>fleet</td><td class=\"state\"></td><td class=\"health\"></td>"
                        + "<td class=\"num rate\">201/s</td>")
                .contains("<td class=\"num rate\">80.3/s</td>").contains("<td class=\"num rate\">121/s</td>");
    }
}
