package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Address;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.netty.transport.NettyTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.switchboard.examples.gateway.admin.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

class AdminExplainTest {

    private static final AdminSettings LOOPBACK = AdminSettings.of(Address.parse("127.0.0.1:0"), "");

    private static NettyTransport transport;
    private static TestGateway gateway;
    private static AdminServer server;
    private static AdminClient client;

    @BeforeAll
    static void start() {
        transport = NettyTransport.create(1, true);
        gateway = new TestGateway();
        server = AdminServer.bind(transport, gateway, LOOPBACK);
        client = new AdminClient(server.localAddress());
    }

    @AfterAll
    static void stop() {
        server.close(Duration.ZERO).join();
        gateway.engine().close();
        transport.close();
    }

    @Test
    void explain_owaPath_forwardsToOwaWithSteps() {
        HttpResponse<String> r = client.get("/api/explain?vs=mail&path=/owa/inbox&host=mail.test");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode trace = json(r);
        assertThat(trace.path("virtualService").asText()).isEqualTo("mail");
        assertThat(trace.path("request").path("host").asText()).isEqualTo("mail.test");
        assertThat(trace.path("request").path("path").asText()).isEqualTo("/owa/inbox");
        assertThat(trace.path("steps").size()).isGreaterThan(1);
        JsonNode decision = trace.path("decision");
        assertThat(decision.path("type").asText()).isEqualTo("forward");
        assertThat(decision.path("target").path("subService").asText()).isEqualTo("owa");
        assertThat(decision.path("target").path("server").asText()).isIn("ex01", TestGateway.NASTY_NAME);
        assertThat(decision.path("path").asText()).isEqualTo("/owa/inbox");
    }

    @Test
    void explain_moreParameters_reachTheEngine() {
        HttpResponse<String> r = client.get("/api/explain?vs=mail&path=/ews/x%3Fa%3D1&method=POST&scheme=https"
                + "&header=Cookie:%20a%3Db&header=X-Test:%201&source=10.1.2.3&sni=mail.test");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode request = json(r).path("request");
        assertThat(request.path("method").asText()).isEqualTo("POST");
        assertThat(request.path("scheme").asText()).isEqualTo("https");
        assertThat(request.path("path").asText()).isEqualTo("/ews/x");
        assertThat(request.path("query").asText()).isEqualTo("a=1");
        assertThat(request.path("source").asText()).isEqualTo("10.1.2.3");
        assertThat(json(r).path("decision").path("target").path("subService").asText()).isEqualTo("ews");
    }

    @Test
    void explain_pathThatClimbsAboveRoot_isTheEngines400Decision() {
        HttpResponse<String> r = client.get("/api/explain?vs=mail&path=/owa/../../etc");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("decision").path("type").asText()).isEqualTo("respond");
        assertThat(json(r).path("decision").path("status").asInt()).isEqualTo(400);
    }

    @Test
    void explain_tcpVirtualService_answersWithoutA500() {
        HttpResponse<String> r = client.get("/api/explain?vs=imap&path=/");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("decision").path("type").asText()).isIn("forward", "respond");
    }

    @Test
    void explain_doesNotCountAsTraffic() {
        long before = gateway.engine().stats().findRealServer("mail", "owa", "ex01").orElseThrow().activeConnections();
        client.get("/api/explain?vs=mail&path=/owa");
        assertThat(gateway.engine().stats().findRealServer("mail", "owa", "ex01").orElseThrow().activeConnections())
                .isEqualTo(before);
    }

    @Test
    void explain_unknownVirtualService_answers404() {
        HttpResponse<String> r = client.get("/api/explain?vs=nope&path=/");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("error").asText()).startsWith("vs: nope (expected:");
    }

    @Test
    void explain_badEscapeInQuery_answers400() {
        String answer = client.raw("GET /api/explain?vs=mail&path=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"query: /api/explain?vs=mail&path=%zz");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/explain                              | vs: missing",
        "/api/explain?path=/owa                    | vs: missing",
        "/api/explain?vs=mail&vs=imap              | vs: given 2 times",
        "/api/explain?vs=mail&path=owa             | path: owa (expected: starting with /)",
        "/api/explain?vs=mail&source=mail.test     | source: mail.test (expected: an IPv4 or IPv6 literal)",
        "/api/explain?vs=mail&source=10.0.0.256    | source: 10.0.0.256",
        "/api/explain?vs=mail&method=GE%20T        | method: GE T (expected: an HTTP token)",
        "/api/explain?vs=mail&scheme=ftp           | scheme: ftp (expected: http or https)",
        "/api/explain?vs=mail&header=NoColon       | header: NoColon (expected: Name: value)",
        "/api/explain?vs=mail&header=Bad%20Name:1  | header: Bad Name",
        "/api/explain?vs=mail&host=a%0Db           | host: a\\u000db (expected: no control characters)",
        "/api/explain?vs=mail&colour=red           | query parameter: colour (expected: one of vs, path,"})
    void explain_badParameter_answers400NamingIt(String path, String error) {
        HttpResponse<String> r = client.get(path);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).startsWith(error);
    }
}
