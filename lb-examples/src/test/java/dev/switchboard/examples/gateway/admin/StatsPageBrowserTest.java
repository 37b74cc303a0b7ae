package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Address;
import dev.switchboard.api.AdminState;
import dev.switchboard.engine.EngineStats;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.netty.transport.NettyTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The stats page in a real headless Chromium, driven over WebDriver: the tables show, the buttons change the
 * engine's admin states through the PUT endpoints with the token taken from the page URL, and the markup in
 * names, addresses and health reasons stays text. Skipped when chromium or chromedriver is not installed
 * ({@code .ci/chromium-setup} installs them).
 */
class StatsPageBrowserTest {

    private static final String TOKEN = "page-token-7";
    private static final String ROW = "tr.server[data-vs=\"mail\"][data-sub=\"owa\"][data-server=\"%s\"]";

    @Test
    @Timeout(60)
    void page_buttonsDrainAndDisable_andTheEngineAgrees() throws Exception {
        List<String> installed = WebDriver.findInstalled().orElse(List.of());
        assumeTrue(!installed.isEmpty(), "chromium and chromedriver are not installed (run .ci/chromium-setup);"
                + " skipping the browser test");
        TestGateway gateway = new TestGateway().withTraffic();
        try (NettyTransport transport = NettyTransport.create(1, true)) {
            AdminServer server = AdminServer.bind(transport, gateway,
                    AdminSettings.of(Address.parse("127.0.0.1:0"), TOKEN));
            try (WebDriver browser = startOrSkip(installed)) {
                browser.open("http://127.0.0.1:" + server.localAddress().getPort() + "/?token=" + TOKEN);
                showsTheTree(browser);
                drainOneEntry(browser, gateway);
                disableAHostEverywhere(browser, gateway);
                assertThat(browser.alertOpen()).as("no script from a name, address or reason ran").isFalse();
            } finally {
                server.close(Duration.ZERO).join();
            }
        } finally {
            gateway.engine().close();
        }
    }

    /** A browser that is installed but cannot start here (no display libraries, ...) is a skip, not a failure. */
    private static WebDriver startOrSkip(List<String> installed) {
        try {
            return WebDriver.start(installed.get(0), installed.get(1));
        } catch (java.io.IOException e) {
            assumeTrue(false, "chromium did not start through " + installed.get(0) + ": " + e.getMessage()
                    + "; skipping the browser test");
            throw new AssertionError(e);
        }
    }

    private static void showsTheTree(WebDriver browser) throws Exception {
        JsonNode rows = browser.script("return Array.from(document.querySelectorAll('tr.server')).map(function (r) {"
                + " return [r.dataset.vs, r.dataset.sub, r.dataset.server, r.querySelector('td.state').textContent,"
                + " r.classList.contains('down')]; });");
        assertThat(rows).hasSize(6);
        assertThat(rows.toString()).contains("[\"mail\",\"owa\",\"ex01\",\"enabled\",false]")
                .contains("[\"mail\",\"owa\",\"ex-02.b_c\",\"enabled\",false]")
                .contains("[\"mail\",\"ews\",\"ex03\",\"enabled\",true]")
                .contains("[\"imap\",\"pool\",\"ex01\",\"enabled\",false]");
        JsonNode address = browser.script("return document.querySelector(arguments[0] + ' td.address').textContent;",
                String.format(ROW, TestGateway.NASTY_NAME));
        assertThat(address.asText()).isEqualTo(TestGateway.NASTY_HOST + ":9002");
        JsonNode health = browser.script("return document.querySelector("
                + "'tr.server[data-sub=\"ews\"][data-server=\"ex03\"] td.health').textContent;");
        assertThat(health.asText()).matches("DOWN \\d+s: \\Q" + TestGateway.NASTY_REASON + "\\E");
        JsonNode injected = browser.script("return document.querySelectorAll('#tables script, #tables img').length;");
        assertThat(injected.asInt()).isZero();
    }

    private static void drainOneEntry(WebDriver browser, TestGateway gateway) throws Exception {
        browser.click(new WebDriver.By(String.format(ROW, "ex01") + " button[data-state=\"draining\"]"));

        JsonNode state = browser.poll("return document.querySelector('" + String.format(ROW, "ex01").replace("'", "\\'")
                + " td.state').textContent;", v -> v.asText().equals("draining"), Duration.ofSeconds(10));
        assertThat(state.asText()).isEqualTo("draining");
        EngineStats stats = gateway.engine().stats();
        assertThat(stats.findRealServer("mail", "owa", "ex01").orElseThrow().state()).isEqualTo(AdminState.DRAINING);
        assertThat(stats.findRealServer("mail", "ews", "ex01").orElseThrow().state()).isEqualTo(AdminState.ENABLED);
        assertThat(stats.findRealServer("imap", "pool", "ex01").orElseThrow().state()).isEqualTo(AdminState.ENABLED);
    }

    private static void disableAHostEverywhere(WebDriver browser, TestGateway gateway) throws Exception {
        browser.click(new WebDriver.By("tr.host[data-server=\"ex03\"] button[data-state=\"disabled\"]"));

        JsonNode states = browser.poll("return Array.from(document.querySelectorAll("
                        + "'tr.server[data-server=\"ex03\"] td.state')).map(function (c) { return c.textContent; });",
                v -> v.size() == 2 && v.get(0).asText().equals("disabled") && v.get(1).asText().equals("disabled"),
                Duration.ofSeconds(10));
        assertThat(states.toString()).isEqualTo("[\"disabled\",\"disabled\"]");
        EngineStats stats = gateway.engine().stats();
        assertThat(stats.findRealServer("mail", "ews", "ex03").orElseThrow().state()).isEqualTo(AdminState.DISABLED);
        assertThat(stats.findRealServer("mail", "default", "ex03").orElseThrow().state())
                .isEqualTo(AdminState.DISABLED);
        JsonNode status = browser.script("return document.getElementById('status').textContent;");
        assertThat(status.asText()).startsWith("updated");
    }
}
