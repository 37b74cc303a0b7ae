package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.GatewayConfigReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistence cookie on the wire carries exactly the configured name, with one sub-service and with several:
 * an inserted {@code SBSRV} keeps one signed entry per sub-service in its value, and a learned {@code JSESSIONID}
 * set by the application keeps the client on its server in every sub-service.
 */
class GatewayCookieNameTest {

    private static final String ENTRY = "[A-Za-z0-9_-]{27}";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final TestFleet fleet = new TestFleet("ex01", "ex02", "ex03");
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        fleet.close();
    }

    /** Virtual service "mail" with this persistence and one sub-service per workload ("owa" serves /owa). */
    private void start(String persistence, String... workloads) {
        StringBuilder servers = new StringBuilder();
        for (String h : fleet.hosts()) {
            servers.append(servers.length() == 0 ? "" : ", ").append("{\"name\": \"").append(h)
                    .append("\", \"address\": \"").append(fleet.address(h)).append("\"}");
        }
        StringBuilder subs = new StringBuilder();
        for (String w : workloads) {
            subs.append(subs.length() == 0 ? "" : ", ").append("{ \"name\": \"").append(w).append("\", \"match\": ")
                    .append("[ { \"on\": \"path\", \"type\": \"prefix\", \"value\": \"/").append(w).append("\" } ],")
                    .append(" \"realServers\": [ ").append(servers).append(" ] }");
        }
        String json = """
                { "admin": { "listen": "127.0.0.1:0" },
                  "virtualServices": [ { "name": "mail", "listen": "127.0.0.1:0", "protocol": "http",
                    "scheduling": "round-robin", "accessLog": false, "persistence": %s,
                    "subServices": [ %s ] } ] }
                """.formatted(persistence, subs);
        gateway = Gateway.start(GatewayConfigReader.parse(json, dir));
    }

    private static String activeCookie() {
        return "{ \"mode\": \"active-cookie\", \"cookieName\": \"SBSRV\", \"timeout\": \"45m\","
                + " \"cookieSecret\": \"0123456789abcdef-shared\" }";
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://"
                + Gateway.hostPort(gateway.address("mail")) + path)).timeout(Duration.ofSeconds(5));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String servedBy(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("X-Served-By").orElseThrow();
    }

    private static List<String> setCookies(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie");
    }

    private static String pair(HttpResponse<String> response) {
        assertThat(setCookies(response)).hasSize(1);
        return setCookies(response).get(0).split(";")[0];
    }

    @Test
    void activeCookie_oneSubService_theWireCarriesTheConfiguredName() throws Exception {
        start(activeCookie(), "owa");
        HttpResponse<String> first = get("/owa/", null);
        assertThat(setCookies(first)).singleElement().asString().matches("SBSRV=" + ENTRY + "; Path=/; .*");
        for (int i = 0; i < 4; i++) {
            assertThat(servedBy(get("/owa/", pair(first)))).isEqualTo(servedBy(first));
        }
    }

    @Test
    void activeCookie_twoSubServices_oneCookieWithTheConfiguredName_keepsBothPins() throws Exception {
        start(activeCookie(), "owa", "ews");
        HttpResponse<String> owa = get("/owa/", null);
        assertThat(setCookies(owa)).singleElement().asString().matches("SBSRV=" + ENTRY + "; Path=/; .*");
        HttpResponse<String> ews = get("/ews/", pair(owa));
        for (int i = 0; i < 3 && servedBy(ews).equals(servedBy(owa)); i++) {
            ews = get("/ews/", pair(owa)); // round robin moves on: pin ews on another host than owa
        }
        assertThat(servedBy(ews)).isNotEqualTo(servedBy(owa));
        assertThat(setCookies(ews)).singleElement().asString()
                .matches("SBSRV=" + ENTRY + "\\." + ENTRY + "; Path=/; .*");
        String cookie = pair(ews);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> o = get("/owa/mail", cookie);
            HttpResponse<String> e = get("/ews/exchange.asmx", cookie);
            assertThat(servedBy(o)).isEqualTo(servedBy(owa));
            assertThat(servedBy(e)).isEqualTo(servedBy(ews));
            assertThat(setCookies(o)).isEmpty();
            assertThat(setCookies(e)).isEmpty();
        }
    }

    @Test
    void activeCookie_drainingServer_keepsItsCookieClients_newClientsNeverReachIt() throws Exception {
        start(activeCookie(), "owa", "ews");
        HttpResponse<String> owa = get("/owa/", null);
        String home = servedBy(owa);
        String cookie = pair(get("/ews/", pair(owa)));
        HttpResponse<String> drained = client.send(HttpRequest.newBuilder(URI.create("http://"
                + Gateway.hostPort(gateway.findAdminAddress().orElseThrow()) + "/api/real-servers/" + home + "/state"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"state\": \"draining\"}"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
        for (int i = 0; i < 4; i++) {
            assertThat(servedBy(get("/owa/", cookie))).isEqualTo(home);
        }
        for (int i = 0; i < 6; i++) {
            assertThat(servedBy(get(i % 2 == 0 ? "/owa/" : "/ews/", null))).isNotEqualTo(home);
        }
    }

    @Test
    void activeCookie_garbageAndOversizedValues_areIgnored_never500() throws Exception {
        start(activeCookie(), "owa", "ews");
        String entry = pair(get("/owa/", null)).substring("SBSRV=".length());
        for (String value : List.of("garbage", entry + ".", entry + "." + entry.substring(3), "%%%%", "\"\"",
                String.join(".", java.util.Collections.nCopies(9, entry)), "A".repeat(3_000))) {
            HttpResponse<String> r = get("/owa/", "SBSRV=" + value);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(setCookies(r)).singleElement().asString().matches("SBSRV=" + ENTRY + "; .*");
        }
    }

    @Test
    void serverCookie_twoSubServices_theLearnedJsessionidKeepsTheClientOnItsServer() throws Exception {
        start("{ \"mode\": \"server-cookie\", \"cookieName\": \"JSESSIONID\", \"timeout\": \"45m\" }", "owa", "ews");
        for (String workload : List.of("/owa/", "/ews/")) {
            HttpResponse<String> login = get(workload + "?login", null);
            assertThat(setCookies(login)).as("the application's cookie, passed through unchanged")
                    .containsExactly("JSESSIONID=" + servedBy(login) + "-session; Path=/");
            Set<String> servers = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                servers.add(servedBy(get(workload + "page" + i, pair(login))));
            }
            assertThat(servers).as(workload).containsExactly(servedBy(login));
        }
    }
}
