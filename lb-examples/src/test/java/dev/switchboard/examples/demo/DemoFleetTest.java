package dev.switchboard.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.Address;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoFleetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DemoFleet fleet = DemoFleet.start(0);

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    private HttpResponse<String> get(String host, String path, String... headers) throws Exception {
        Address a = fleet.addresses().get(host);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + a + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyHost_servesEveryWorkload_namingHostAndWorkloadAndEchoingTheRequest() throws Exception {
        assertThat(fleet.addresses()).containsOnlyKeys("ex01", "ex02", "ex03");
        assertThat(fleet.addresses().values()).doesNotHaveDuplicates();
        for (String host : DemoFleet.HOSTS) {
            for (String workload : DemoFleet.WORKLOADS) {
                HttpResponse<String> r = get(host, "/" + workload + "/deep/page.aspx?a=1",
                        "X-Forwarded-For", "192.0.2.7");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                        t -> assertThat(t).startsWith("application/json"));
                JsonNode body = JSON.readTree(r.body());
                assertThat(body.get("host").asText()).isEqualTo(host);
                assertThat(body.get("workload").asText()).isEqualTo(workload);
                assertThat(body.get("method").asText()).isEqualTo("GET");
                assertThat(body.get("path").asText()).isEqualTo("/" + workload + "/deep/page.aspx");
                assertThat(body.get("query").asText()).isEqualTo("a=1");
                assertThat(body.get("xForwardedFor").asText()).isEqualTo("192.0.2.7");
            }
        }
        assertThat(JSON.readTree(get("ex01", "/EWS/Exchange.asmx").body()).get("workload").asText())
                .isEqualTo("ews");
        assertThat(get("ex01", "/ecp/").statusCode()).isEqualTo(404);
    }

    @Test
    void owa_setsItsOwnSessionCookie_onlyWhenTheRequestHasNone() throws Exception {
        HttpResponse<String> first = get("ex02", "/owa/");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(DemoHost.OWA_COOKIE + "=ex02-");
        HttpResponse<String> again = get("ex02", "/owa/inbox", "Cookie", cookie.substring(0, cookie.indexOf(';')));
        assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(get("ex02", "/ews/").headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void healthPages_flipPerHostAndWorkload() throws Exception {
        for (String workload : DemoFleet.WORKLOADS) {
            assertThat(get("ex02", "/" + workload + "/healthcheck.htm").statusCode()).isEqualTo(200);
        }
        fleet.setWorkloadUp("ex02", "ews", false);
        assertThat(fleet.isWorkloadUp("ex02", "ews")).isFalse();
        assertThat(get("ex02", "/ews/healthcheck.htm").statusCode()).isEqualTo(503);
        assertThat(get("ex02", "/EWS/HealthCheck.htm").statusCode()).isEqualTo(503);
        assertThat(get("ex02", "/owa/healthcheck.htm").statusCode()).isEqualTo(200);
        assertThat(get("ex01", "/ews/healthcheck.htm").statusCode()).isEqualTo(200);
        assertThat(get("ex02", "/ews/Exchange.asmx").statusCode()).as("only the check sees it").isEqualTo(200);
        fleet.setWorkloadUp("ex02", "EWS", true);
        assertThat(get("ex02", "/ews/healthcheck.htm").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> fleet.setWorkloadUp("ex09", "ews", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ex09");
        assertThatThrownBy(() -> fleet.setWorkloadUp("ex01", "ecp", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ecp");
    }

    @Test
    void expectContinue_isAnsweredBeforeTheBodyIsSent_andOtherExpectationsGet417() throws Exception {
        Address a = fleet.addresses().get("ex03");
        try (Socket s = new Socket(a.host(), a.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /ews/Exchange.asmx HTTP/1.1\r\nHost: ex03\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            skipHeaders(in); // the JDK server adds a needless Content-Length: 0 to the 100
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            skipHeaders(in);
            assertThat(JSON.readTree(in.readLine()).get("bodyBytes").asLong()).isEqualTo(5);
        }
        try (Socket s = new Socket(a.host(), a.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /ews/ HTTP/1.1\r\nHost: ex03\r\nExpect: something-else\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 417");
        }
    }

    private static void skipHeaders(BufferedReader in) throws java.io.IOException {
        for (int i = 0; i < 50 && !in.readLine().isEmpty(); i++) {
            // header lines
        }
    }

    @Test
    void start_badBasePort_isRejected() {
        assertThatThrownBy(() -> DemoFleet.start(65534)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65534");
    }
}
