package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.micrometer.testing.PrometheusText;
import dev.switchboard.micrometer.testing.Promtool;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Basic logins against a real LDAP server through the gateway, then the figures read back where an operator
 * reads them: {@code GET /api/stats} (an {@code authentication} object on the virtual service that authenticates,
 * none on the one that does not), the stats page (a line of figures), and {@code GET /metrics}
 * ({@code switchboard_authentication_total} by result, lockouts; accepted by {@code promtool check metrics}).
 */
class GatewayAuthenticationStatsTest {

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MockWebServer exchange = new MockWebServer();
    private MailDirectory directory;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        directory = new MailDirectory();
        exchange.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(mockwebserver3.RecordedRequest r) {
                return new MockResponse.Builder().code(200).body("ok").build();
            }
        });
        exchange.start(InetAddress.getLoopbackAddress(), 0);
        String server = "[ { \"name\": \"ex01\", \"address\": \"127.0.0.1:" + exchange.getPort() + "\" } ]";
        gateway = Gateway.start(GatewayConfigReader.parse("""
                { "admin": { "listen": "127.0.0.1:0" },
                  "authentication": { "realm": "mail",
                    "ldap": { "url": "%s", "userDnPattern": "%s" } },
                  "virtualServices": [
                    { "name": "eas", "listen": "127.0.0.1:0", "protocol": "http", "accessLog": false,
                      "auth": "basic", "subServices": [ { "name": "eas", "default": true, "realServers": %s } ] },
                    { "name": "open", "listen": "127.0.0.1:0", "protocol": "http", "accessLog": false,
                      "subServices": [ { "name": "web", "default": true, "realServers": %s } ] } ] }
                """.formatted(directory.url(), MailDirectory.DN_PATTERN, server, server), dir));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        exchange.close();
        directory.close();
    }

    private HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (!authorization.isEmpty()) {
            r.header("Authorization", authorization);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int eas(String user, String password) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return get("http://" + Gateway.hostPort(gateway.address("eas")) + "/Microsoft-Server-ActiveSync", basic)
                .statusCode();
    }

    private String admin(String path) throws Exception {
        HttpResponse<String> r = get("http://" + Gateway.hostPort(gateway.findAdminAddress().orElseThrow()) + path,
                "");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** bob twice (the directory, then the cache), alice wrong five times (locked out), then once more (refused). */
    private void logins() throws Exception {
        assertThat(eas("bob", "bob-secret")).isEqualTo(200);
        assertThat(eas("bob", "bob-secret")).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(eas("alice", "guess-" + i)).isEqualTo(401);
        }
        assertThat(eas("alice", "alice-secret")).as("locked out").isEqualTo(429);
        assertThat(get("http://" + Gateway.hostPort(gateway.address("eas")) + "/", "").statusCode()).isEqualTo(401);
    }

    @Test
    void logins_failures_lockouts_inApiStats_theStatsPage_andMetrics() throws Exception {
        logins();

        JsonNode stats = new ObjectMapper().readTree(admin("/api/stats"));
        JsonNode eas = stats.path("virtualServices").get(0);
        assertThat(eas.path("name").asText()).isEqualTo("eas");
        JsonNode auth = eas.path("authentication");
        assertThat(auth.path("logins").asLong()).isEqualTo(2);
        assertThat(auth.path("cachedLogins").asLong()).isEqualTo(1);
        assertThat(auth.path("failures").asLong()).isEqualTo(5);
        assertThat(auth.path("lockouts").asLong()).isEqualTo(1);
        assertThat(auth.path("lockedRefusals").asLong()).isEqualTo(1);
        assertThat(auth.path("unavailable").asLong()).isZero();
        assertThat(auth.path("challenges").asLong()).isEqualTo(1);
        assertThat(stats.path("virtualServices").get(1).has("authentication")).as("open authenticates nobody")
                .isFalse();

        String page = admin("/");
        assertThat(page).contains("pre-authentication · logins <span class=\"auth-ok\">2</span> (1 from the cache)",
                "failed <span class=\"auth-failed\">5</span>", "locked out <span class=\"auth-locked\">1</span>"
                        + " (1 refused while locked)", "directory unavailable <span class=\"auth-unavailable\">0");
        assertThat(page.split("class=\"auth\"", -1)).as("one line, for eas only").hasSize(2);

        String scrape = admin("/metrics");
        PrometheusText text = PrometheusText.parse(scrape, false);
        Map<String, String> vs = Map.of("virtual_service", "eas");
        assertThat(text.value("switchboard_authentication_total", result("accepted"))).isEqualTo(2);
        assertThat(text.value("switchboard_authentication_total", result("rejected"))).isEqualTo(5);
        assertThat(text.value("switchboard_authentication_total", result("locked"))).isEqualTo(1);
        assertThat(text.value("switchboard_authentication_total", result("unavailable"))).isZero();
        assertThat(text.value("switchboard_authentication_cached_total", vs)).isEqualTo(1);
        assertThat(text.value("switchboard_authentication_lockouts_total", vs)).isEqualTo(1);
        assertThat(text.value("switchboard_authentication_challenges_total", vs)).isEqualTo(1);
        assertThat(text.samples("switchboard_authentication_total"))
                .allSatisfy(s -> assertThat(s.labels()).containsEntry("virtual_service", "eas"));
        Optional<Promtool> promtool = Promtool.find();
        assumeTrue(promtool.isPresent(), "promtool not installed (Debian package prometheus): skipped");
        Promtool.Check check = promtool.get().checkMetrics(scrape);
        assertThat(check.parses()).as(check.output()).isTrue();
        assertThat(check.remarksAbout("switchboard_authentication")).as(check.output()).isEmpty();
    }

    private static Map<String, String> result(String result) {
        return Map.of("virtual_service", "eas", "result", result);
    }
}
