package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.testing.LoopbackPorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.netty.testing.RawClient;
import dev.switchboard.tls.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several virtual services on one listen address of the reference gateway, chosen by {@code Host}. */
class GatewayVirtualHostTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final TestFleet fleet = new TestFleet("ex01", "ex02", "ex03");
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        fleet.close();
    }


    private String config(int port, String owaNames) {
        String vs = """
                { "name": "%s", "listen": "127.0.0.1:%d", "protocol": "http", "accessLog": false %s,
                  "subServices": [ { "name": "pool", "default": true,
                                     "realServers": [ { "name": "%s", "address": "%s" } ] } ] }""";
        return "{ \"admin\": { \"listen\": \"127.0.0.1:0\" }, \"virtualServices\": ["
                + vs.formatted("owa", port, ", \"hostNames\": [" + owaNames + "]", "ex01", fleet.address("ex01"))
                + "," + vs.formatted("any", port, ", \"hostNames\": [\"*.example.test\"]", "ex02",
                        fleet.address("ex02"))
                + "," + vs.formatted("fallback", port, "", "ex03", fleet.address("ex03")) + "] }";
    }

    private static String servedBy(RawClient c, String host) {
        String response = c.send("GET /x HTTP/1.1\r\nHost: " + host + "\r\n\r\n").readResponse();
        assertThat(RawClient.status(response)).as(host).isEqualTo(200);
        return response.lines().filter(l -> l.regionMatches(true, 0, "X-Served-By:", 0, 12))
                .map(l -> l.substring(12).trim()).findFirst().orElse("none");
    }

    private Map<String, Long> requestsPerVirtualService() throws Exception {
        URI stats = URI.create("http://" + Gateway.hostPort(gateway.findAdminAddress().orElseThrow()) + "/api/stats");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stats)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Long> counts = new HashMap<>();
        for (JsonNode vs : JSON.readTree(r.body()).path("virtualServices")) {
            counts.put(vs.path("name").asText(), vs.path("totalRequests").asLong());
        }
        return counts;
    }

    @Test
    void threeVirtualServicesOnOnePort_hostChoosesPerRequest_andStatsStayPerVirtualService() throws Exception {
        int port = LoopbackPorts.pick();
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, config(port, "\"owa.example.test\""));
        gateway = Gateway.start(GatewayConfigReader.read(file), file);

        assertThat(gateway.address("owa")).isEqualTo(gateway.address("fallback"));
        assertThat(gateway.address("any").getPort()).isEqualTo(port);
        try (RawClient c = RawClient.connect(port)) {
            assertThat(servedBy(c, "owa.example.test")).isEqualTo("ex01");
            assertThat(servedBy(c, "www.example.test")).isEqualTo("ex02");
            assertThat(servedBy(c, "elsewhere.test")).isEqualTo("ex03");
            assertThat(servedBy(c, "OWA.example.test:" + port)).isEqualTo("ex01");
        }
        assertThat(requestsPerVirtualService()).containsEntry("owa", 2L).containsEntry("any", 1L)
                .containsEntry("fallback", 1L);
    }

    @Test
    void reload_changedHostNames_rebindTheSharedAddress() throws Exception {
        int port = LoopbackPorts.pick();
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, config(port, "\"owa.example.test\""));
        gateway = Gateway.start(GatewayConfigReader.read(file), file);
        try (RawClient c = RawClient.connect(port)) {
            assertThat(servedBy(c, "mail.test")).isEqualTo("ex03");
        }

        Files.writeString(file, config(port, "\"mail.test\""));
        gateway.reload();

        try (RawClient c = RawClient.connect(port)) {
            assertThat(servedBy(c, "mail.test")).isEqualTo("ex01");
            assertThat(servedBy(c, "owa.example.test")).isEqualTo("ex02"); // now only the wildcard matches it
        }
    }

    @Test
    void httpsOnOnePort_sniChoosesTheCertificateAndTheServer_andAnotherHostIs421() throws Exception {
        TestPki.Issued ca = TestPki.ca("Gateway Virtual Host CA");
        for (String name : List.of("owa", "web")) {
            TestPki.Issued leaf = TestPki.leaf(ca, name + ".example.test");
            TestPki.write(dir.resolve(name + ".pem"), TestPki.certificatePem(leaf.certificate()));
            TestPki.write(dir.resolve(name + ".key"), TestPki.pkcs8Pem(leaf.keys().getPrivate()));
        }
        int port = LoopbackPorts.pick();
        String vs = """
                { "name": "%s", "listen": "127.0.0.1:%d", "protocol": "https", "accessLog": false %s,
                  "tls": { "certificate": "%s.pem", "privateKey": "%s.key" },
                  "subServices": [ { "name": "pool", "default": true,
                                     "realServers": [ { "name": "%s", "address": "%s" } ] } ] }""";
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{ \"virtualServices\": ["
                + vs.formatted("owa", port, ", \"hostNames\": [\"owa.example.test\"]", "owa", "owa", "ex01",
                        fleet.address("ex01"))
                + "," + vs.formatted("web", port, "", "web", "web", "ex02", fleet.address("ex02")) + "] }");
        gateway = Gateway.start(GatewayConfigReader.read(file), file);

        String[][] cases = {{"owa.example.test", "CN=owa.example.test", "ex01"},
            {"www.example.test", "CN=web.example.test", "ex02"}};
        for (String[] c : cases) {
            SSLSocket socket = (SSLSocket) TestPki.clientContext(ca, "TLS").getSocketFactory()
                    .createSocket("127.0.0.1", port);
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(c[0])));
            socket.setSSLParameters(p);
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            try (RawClient client = new RawClient(socket)) {
                X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                assertThat(peer.getSubjectX500Principal().getName()).isEqualTo(c[1]);
                assertThat(servedBy(client, c[0])).isEqualTo(c[2]);
                String fronted = client.send("GET / HTTP/1.1\r\nHost: "
                        + (c[2].equals("ex01") ? "www.example.test" : "owa.example.test") + "\r\n\r\n").readResponse();
                assertThat(RawClient.status(fronted)).isEqualTo(421);
            }
        }
        assertThat(fleet.hits("ex01")).isEqualTo(1);
        assertThat(fleet.hits("ex02")).isEqualTo(1);
    }
}
