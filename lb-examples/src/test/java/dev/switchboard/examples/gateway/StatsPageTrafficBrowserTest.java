package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.examples.gateway.admin.WebDriver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stats page of a whole gateway in a real headless Chromium, under real traffic to real backends on loopback:
 * request rates and sparklines appear; a real server whose health check answers 503 shows {@code DOWN}, its reason
 * and its "since"; the health event is in the recent events; all refreshed in place. With the system property
 * {@code switchboard.screenshots=DIR} it also writes {@code stats-page-load.png} and {@code stats-page-down.png}
 * there (and runs the load longer, for a sparkline with a shape). Skipped when chromium or chromedriver is not
 * installed ({@code .ci/chromium-setup} installs them).
 */
class StatsPageTrafficBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "page-traffic-token";
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final String OWA = "tr.sub-head[data-vs=\"mail\"][data-sub=\"owa\"]";
    private static final String EX02 = "tr.server[data-vs=\"mail\"][data-sub=\"owa\"][data-server=\"ex02\"]";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final TestFleet fleet = new TestFleet("ex01", "ex02", "ex03");
    private final Optional<Path> screenshots = Optional.ofNullable(System.getProperty("switchboard.screenshots"))
            .filter(s -> !s.isBlank()).map(Path::of);
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private Gateway gateway;
    private Thread load;

    @BeforeEach
    void start() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, """
                { "admin": { "listen": "127.0.0.1:0", "token": "%s" },
                  "virtualServices": [ { "name": "mail", "listen": "127.0.0.1:0", "protocol": "http",
                    "scheduling": "round-robin", "accessLog": false,
                    "subServices": [
                      { "name": "owa", "match": [ { "on": "path", "type": "prefix", "value": "/owa" } ],
                        "healthCheck": %s,
                        "realServers": [ { "name": "ex01", "address": "%s" }, { "name": "ex02", "address": "%s" } ] },
                      { "name": "ews", "match": [ { "on": "path", "type": "prefix", "value": "/ews" } ],
                        "healthCheck": %s,
                        "realServers": [ { "name": "ex01", "address": "%s" }, { "name": "ex02", "address": "%s" } ] },
                      { "name": "default", "default": true,
                        "realServers": [ { "name": "ex03", "address": "%s" } ] } ] } ] }
                """.formatted(TOKEN, check("owa"), fleet.address("ex01"), fleet.address("ex02"), check("ews"),
                fleet.address("ex01"), fleet.address("ex02"), fleet.address("ex03")));
        gateway = Gateway.start(GatewayConfigReader.read(file), file);
        Eventually.until("every server up", LIMIT, () -> stats().toString().split("\"health\":\"up\"").length == 6);
    }

    private static String check(String workload) {
        return "{ \"type\": \"http\", \"path\": \"/" + workload + "/healthcheck.htm\", \"interval\": \"300ms\","
                + " \"timeout\": \"1s\", \"rise\": 1, \"fall\": 1 }";
    }

    @AfterEach
    void stop() throws InterruptedException {
        loading.set(false);
        if (load != null) {
            load.join(10_000);
        }
        gateway.stop(Duration.ofSeconds(1)).join();
        fleet.close();
    }

    @Test
    @Timeout(300)
    void underLoad_ratesAndSparklinesAppear_thenADownServerShowsReasonSinceAndItsEvent() throws Exception {
        List<String> installed = WebDriver.findInstalled().orElse(List.of());
        assumeTrue(!installed.isEmpty(), "chromium and chromedriver are not installed (run .ci/chromium-setup);"
                + " skipping the browser test");
        load = new Thread(this::load, "stats-page-load");
        load.start();
        try (WebDriver browser = startOrSkip(installed)) {
            browser.windowSize(1680, 1050);
            browser.open(admin("/?token=" + TOKEN));
            ratesAndSparklines(browser);
            if (screenshots.isPresent()) {
                long loadStart = System.nanoTime();
                Eventually.until("100 s of load: a sparkline with a shape", Duration.ofSeconds(120),
                        () -> System.nanoTime() - loadStart > 100_000_000_000L);
                screenshot(browser, "stats-page-load.png");
            }
            fleet.setWorkloadUp("ex02", "owa", false);
            downWithReasonAndSince(browser);
            anEventAppears(browser);
            if (screenshots.isPresent()) {
                browser.poll("return document.querySelector('" + EX02 + " td.health').textContent;",
                        v -> v.asText().matches("DOWN (1[0-9]|[2-9][0-9])s: .*"), Duration.ofSeconds(30));
                screenshot(browser, "stats-page-down.png");
            }
            filterAndSortInPlace(browser);
            assertThat(browser.alertOpen()).isFalse();
        }
        JsonNode owa = stats().path("virtualServices").get(0).path("subServices").get(0);
        assertThat(owa.path("rate").path("maxLastMinute").asDouble()).isPositive();
        assertThat(owa.path("responses").path("2xx").asLong()).isPositive();
        assertThat(owa.path("latency").path("count").asLong()).isPositive();
        assertThat(owa.path("realServers").get(1).path("healthSince").asText()).isNotEmpty();
    }

    /** The whole page: the window is made as tall as the page first. */
    private void screenshot(WebDriver browser, String name) throws IOException {
        int height = browser.script("return document.documentElement.scrollHeight;").asInt();
        browser.windowSize(1680, Math.min(4000, height + 100));
        browser.script("window.scrollTo(0, 0);");
        Files.write(screenshots.orElseThrow().resolve(name), browser.screenshot());
    }

    private static void ratesAndSparklines(WebDriver browser) throws IOException {
        JsonNode rate = browser.poll("return document.querySelector('" + OWA + " td.rate').textContent;",
                v -> v.asText().endsWith("/s"), LIMIT);
        assertThat(rate.asText()).matches("[0-9][0-9,.]*/s");
        JsonNode spark = browser.poll("var s = document.querySelector('" + OWA + " svg.spark');"
                        + " return s ? s.querySelectorAll('polyline.spark-requests').length : -1;",
                v -> v.asInt() == 1, LIMIT);
        assertThat(spark.asInt()).as("a request line in owa's sparkline").isEqualTo(1);
        JsonNode label = browser.script("return document.querySelector('" + OWA + " svg.spark title').textContent;");
        assertThat(label.asText()).startsWith("last 15m00s: requests up to ").doesNotContain("up to 0,");
        JsonNode p99 = browser.poll("return document.querySelector('" + OWA + " td.p99').textContent;",
                v -> v.asText().matches(".*[0-9].*(µs|ms|s)"), LIMIT);
        assertThat(p99.asText()).matches(".*[0-9].*(µs|ms|s)");
        JsonNode ok = browser.script("return document.querySelector('" + OWA + " td.c2xx').textContent;");
        assertThat(Long.parseLong(ok.asText().replace(",", ""))).isPositive();
    }

    private static void downWithReasonAndSince(WebDriver browser) throws IOException {
        JsonNode health = browser.poll("return document.querySelector('" + EX02 + " td.health').textContent;",
                v -> v.asText().startsWith("DOWN"), LIMIT);
        assertThat(health.asText()).matches("DOWN [0-9]+s: .*503.*");
        JsonNode looks = browser.script("var c = document.querySelector('" + EX02 + " td.health');"
                + " return [c.className, getComputedStyle(c).backgroundColor];");
        assertThat(looks.get(0).asText()).contains("health-down");
        assertThat(looks.get(1).asText()).isEqualTo("rgb(253, 226, 226)");
        JsonNode later = browser.poll("return document.querySelector('" + EX02 + " td.health .since').textContent;",
                v -> !v.asText().equals("0s") && !v.asText().equals("1s"), LIMIT);
        assertThat(later.asText()).as("the since grows with each in-place refresh").matches("[0-9]+s");
        JsonNode other = browser.script("return document.querySelector('tr.server[data-sub=\"ews\"]"
                + "[data-server=\"ex02\"] td.health').textContent;");
        assertThat(other.asText()).as("ews on the same host is still up").startsWith("UP");
    }

    private static void anEventAppears(WebDriver browser) throws IOException {
        JsonNode event = browser.poll("var r = Array.from(document.querySelectorAll('tr.event.kind-health'))"
                + ".find(function (e) { return e.querySelector('td.where').textContent === 'mail/owa/ex02'"
                + " && e.querySelector('td.change').textContent === 'up → down'; });"
                + " return r ? r.querySelector('td.reason').textContent : '';", v -> !v.asText().isEmpty(), LIMIT);
        assertThat(event.asText()).contains("503");
        JsonNode status = browser.script("return document.getElementById('status').textContent;");
        assertThat(status.asText()).startsWith("updated");
    }

    /** Typing in the filter and choosing an order refresh the tables in place; the address keeps the token. */
    private static void filterAndSortInPlace(WebDriver browser) throws IOException {
        browser.script("var f = document.getElementById('filter'); f.value = 'ews';"
                + " f.dispatchEvent(new Event('input'));");
        JsonNode subs = browser.poll("return Array.from(document.querySelectorAll('tr.sub-head'))"
                + ".map(function (r) { return r.dataset.sub; });", v -> v.size() == 1, LIMIT);
        assertThat(subs.toString()).isEqualTo("[\"ews\"]");
        JsonNode search = browser.script("return window.location.search;");
        assertThat(search.asText()).contains("filter=ews").contains("token=" + TOKEN);
        browser.script("var f = document.getElementById('filter'); f.value = ''; f.dispatchEvent(new Event('input'));"
                + " var s = document.getElementById('sort'); s.value = '-name'; s.dispatchEvent(new Event('change'));");
        JsonNode sorted = browser.poll("return Array.from(document.querySelectorAll('tr.sub-head'))"
                + ".map(function (r) { return r.dataset.sub; });", v -> v.size() == 3, LIMIT);
        assertThat(sorted.toString()).isEqualTo("[\"owa\",\"ews\",\"default\"]");
    }

    /** Requests to the three sub-services at a rate that changes every ten seconds, until stopped. */
    private void load() {
        String[] paths = {"/owa/inbox", "/ews/exchange.asmx", "/", "/owa/inbox", "/owa/calendar"};
        int[] perSecond = {30, 60, 90, 45};
        long start = System.nanoTime();
        long next = start;
        int i = 0;
        while (loading.get()) {
            long elapsed = System.nanoTime() - start;
            int rate = perSecond[(int) (elapsed / 10_000_000_000L) % perSecond.length];
            try {
                HttpRequest r = HttpRequest.newBuilder(URI.create(web(paths[i++ % paths.length])))
                        .timeout(Duration.ofSeconds(5)).build();
                client.send(r, HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // a refused connection while a server goes down: the next request goes on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            next += 1_000_000_000L / rate;
            LockSupport.parkNanos(next - System.nanoTime()); // pacing the load, not waiting for a result
        }
    }

    private static WebDriver startOrSkip(List<String> installed) {
        try {
            return WebDriver.start(installed.get(0), installed.get(1));
        } catch (IOException e) {
            assumeTrue(false, "chromium did not start through " + installed.get(0) + ": " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    private JsonNode stats() {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(admin("/api/stats")))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String web(String path) {
        return "http://127.0.0.1:" + gateway.address("mail").getPort() + path;
    }

    private String admin(String path) {
        return "http://127.0.0.1:" + gateway.findAdminAddress().orElseThrow().getPort() + path;
    }
}
