package dev.switchboard.examples.gateway.admin;

import dev.switchboard.api.Address;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.netty.transport.NettyTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class StatsHtmlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                          | ``",
        "`ex-02.b_c`                 | `ex-02.b_c`",
        "`<script>alert(1)</script>` | `&lt;script&gt;alert(1)&lt;/script&gt;`",
        "`a & b`                     | `a &amp; b`",
        "`\" onmouseover=\"x`        | `&quot; onmouseover=&quot;x`",
        "`' onfocus='x`              | `&#39; onfocus=&#39;x`",
        "`&amp;`                     | `&amp;amp;`",
        "`ünïcødé ✓`                 | `ünïcødé ✓`"})
    void escape_replacesEveryMarkupCharacter(String text, String escaped) {
        assertThat(Html.escape(text)).isEqualTo(escaped);
    }

    @Test
    void render_escapesEveryValue_andMarksDownRowsInText() {
        TestGateway gateway = new TestGateway().withTraffic();
        try {
            String html = StatsHtml.render(gateway.engine().stats(), gateway);

            assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("<ok>")
                    .contains("&lt;script&gt;alert(1)&lt;/script&gt;:9002")
                    .contains(Html.escape(TestGateway.NASTY_REASON))
                    .contains("data-server=\"ex-02.b_c\"")
                    .contains("status 200 &lt;ok&gt;");
            assertThat(html).containsPattern("<tr class=\"server state-enabled down\" data-vs=\"mail\" data-sub=\"ews\""
                    + " data-server=\"ex03\">.*<td class=\"health health-down\"><strong>DOWN</strong>");
        } finally {
            gateway.engine().close();
        }
    }

    @Test
    void page_overHttp_isSelfContainedEscapedAndLockedDown() {
        TestGateway gateway = new TestGateway().withTraffic();
        try (NettyTransport transport = NettyTransport.create(1, true)) {
            AdminServer server = AdminServer.bind(transport, gateway,
                    AdminSettings.of(Address.parse("127.0.0.1:0"), ""));
            try {
                HttpResponse<String> r = new AdminClient(server.localAddress()).get("/");

                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
                String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
                String nonce = csp.replaceAll(".*script-src 'nonce-([^']+)'.*", "$1");
                assertThat(csp).startsWith("default-src 'none'");
                assertThat(r.body()).contains("<script nonce=\"" + nonce + "\">")
                        .contains("<style nonce=\"" + nonce + "\">")
                        .doesNotContain("{{").doesNotContain("http://").doesNotContain("https://")
                        .doesNotContain("<script>alert").doesNotContain("<img src=x")
                        .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
                assertThat(r.body().split("<script", -1)).hasSize(2); // our one script, nothing injected
            } finally {
                server.close(Duration.ZERO).join();
            }
        } finally {
            gateway.engine().close();
        }
    }
}
