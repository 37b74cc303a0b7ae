package dev.switchboard.examples.gateway.admin;

import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.engine.EngineStats;
import dev.switchboard.netty.transport.NettyTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stats page's figures as rendered: status with its "since", rates, sparklines, filter and sort. */
class StatsViewHtmlTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final TestGateway gateway = new TestGateway().withTraffic();

    @AfterEach
    void close() {
        gateway.engine().close();
    }

    @Test
    void serverDown_statusSaysDownSinceAndReason_inWordsAndByClass() {
        gateway.engine().setHealth("mail", "owa", "ex01", Health.DOWN, "healthcheck.htm 503");
        StatsSampler later = new StatsSampler(Clock.fixed(T0.plusSeconds(192), ZoneOffset.UTC),
                () -> gateway.engine().stats(), Duration.ofSeconds(1));
        later.sample(gateway.engine().stats(), T0);

        String html = render(later, PageQuery.ALL);

        assertThat(cell(html, "owa", "ex01", "health")).isEqualTo(
                "<td class=\"health health-down\"><strong>DOWN</strong> <span class=\"since\" title=\"since "
                        + T0 + "\">3m12s</span>: <span class=\"reason\">healthcheck.htm 503</span></td>");
        assertThat(cell(html, "owa", TestGateway.NASTY_NAME, "health")).startsWith(
                "<td class=\"health health-up\">UP <span class=\"since\"");
    }

    @Test
    void rates_andSparkline_afterTrafficBetweenSamples() {
        StatsSampler sampler = sampler(T0.plusSeconds(20));
        sampler.sample(gateway.engine().stats(), T0);
        for (int i = 0; i < 30; i++) {
            gateway.serve("/owa/x");
        }
        sampler.sample(gateway.engine().stats(), T0.plusSeconds(10));
        for (int i = 0; i < 10; i++) {
            gateway.serve("/owa/x");
        }
        sampler.sample(gateway.engine().stats(), T0.plusSeconds(20));

        String html = render(sampler, PageQuery.ALL);

        assertThat(html).contains("<span class=\"vs-rate\">1.0/s</span> now, max 3.0/s in the last minute");
        assertThat(html).containsPattern("data-vs=\"mail\" data-sub=\"owa\">.*?<td class=\"num rate\">1.0/s</td>"
                + "<td class=\"num rate-max\">3.0/s</td>");
        Matcher spark = Pattern.compile("data-vs=\"mail\" data-sub=\"owa\">.*?(<svg.*?</svg>)").matcher(html);
        assertThat(spark.find()).isTrue();
        assertThat(spark.group(1)).contains("data-points=\"2\"").contains("class=\"spark-requests\"")
                .contains("requests up to 3.0/s").doesNotContain("spark-errors").doesNotContain("http");
    }

    @Test
    void filter_keepsMatchingNames_andSortOrdersByName() {
        StatsSampler sampler = sampler(T0);
        String html = render(sampler, new PageQuery("EX03", PageQuery.Sort.NAME_DESC));

        assertThat(html).doesNotContain("data-server=\"ex01\"").contains("data-sub=\"ews\"")
                .contains("data-sub=\"default\"").doesNotContain("data-sub=\"owa\"").doesNotContain("data-vs=\"imap\"");
        assertThat(html.indexOf("data-sub=\"ews\"")).isLessThan(html.indexOf("data-sub=\"default\""));
        assertThat(html).as("the sub-service's figures stay those of all its servers")
                .containsPattern("<tr class=\"sub-head sub-up degraded\" data-vs=\"mail\" data-sub=\"ews\">.*?"
                        + "healthy 1 of 2");

        String none = render(sampler, new PageQuery("nothing-like-it", PageQuery.Sort.CONFIG));
        assertThat(none).contains("No virtual service, sub-service or real server name contains “nothing-like-it”");
    }

    @Test
    void pageQuery_badValues_areA400NamingTheParameter() {
        assertThatThrownBy(() -> PageQuery.parse(Map.of("sort", List.of("fastest"))))
                .isInstanceOf(AdminError.class).hasMessageContaining("sort: fastest (expected: one of config");
        assertThatThrownBy(() -> PageQuery.parse(Map.of("filter", List.of("x".repeat(101)))))
                .isInstanceOf(AdminError.class).hasMessageContaining("filter: 101 characters");
        assertThat(PageQuery.parse(Map.of("sort", List.of("-name"), "filter", List.of(" ex "))))
                .isEqualTo(new PageQuery("ex", PageQuery.Sort.NAME_DESC));
    }

    @Test
    void overHttp_theViewIsKept_andAnUnknownSortIs400() {
        try (NettyTransport transport = NettyTransport.create(1, true)) {
            AdminServer server = AdminServer.bind(transport, gateway,
                    AdminSettings.of(Address.parse("127.0.0.1:0"), ""));
            try {
                AdminClient client = new AdminClient(server.localAddress());
                HttpResponse<String> page = client.get("/?filter=%3Cb%3E&sort=rate");
                HttpResponse<String> bad = client.get("/stats/tables?sort=fastest");

                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("value=\"&lt;b&gt;\"").contains("<option value=\"rate\" selected>")
                        .doesNotContain("<b>");
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("sort: fastest");
            } finally {
                server.close(Duration.ZERO).join();
            }
        }
    }

    private StatsSampler sampler(Instant now) {
        return new StatsSampler(Clock.fixed(now, ZoneOffset.UTC), () -> gateway.engine().stats(),
                Duration.ofSeconds(1));
    }

    private String render(StatsSampler sampler, PageQuery q) {
        EngineStats stats = gateway.engine().stats();
        return StatsHtml.render(stats, gateway, PageFigures.of(gateway, sampler, LatencySource.NONE), q);
    }

    /** The {@code <td class="NAME ...">...</td>} of one server row. */
    private static String cell(String html, String sub, String server, String name) {
        Matcher row = Pattern.compile("<tr class=\"server[^\"]*\" data-vs=\"mail\" data-sub=\"" + sub
                + "\" data-server=\"" + Pattern.quote(server) + "\">(.*?)</tr>").matcher(html);
        assertThat(row.find()).as("row %s/%s", sub, server).isTrue();
        Matcher td = Pattern.compile("<td class=\"" + name + "[ \"].*?</td>").matcher(row.group(1));
        assertThat(td.find()).as("cell %s", name).isTrue();
        return td.group();
    }
}
