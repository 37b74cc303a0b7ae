package dev.switchboard.examples.gateway;

import dev.switchboard.netty.testing.RawClient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.GatewayConfigReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's {@code trustedProxies} decide the client address for the whole way of a request: behind a
 * trusted proxy (the test client on 127.0.0.1) that appended its own {@code X-Forwarded-For} line, a client's
 * forged first line changes neither the {@code source} rule, the source-IP hash nor source-ip persistence. Requests
 * go over raw sockets so that the two header lines reach the gateway as two lines.
 */
class GatewayClientAddressTest {

    @TempDir
    Path dir;

    private final TestFleet inside = new TestFleet("in1");
    private final TestFleet fleet = new TestFleet("ex01", "ex02", "ex03");
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        inside.close();
        fleet.close();
    }

    private String servers(TestFleet f) {
        StringBuilder list = new StringBuilder();
        for (String h : f.hosts()) {
            list.append(list.length() == 0 ? "" : ", ").append("{\"name\": \"").append(h)
                    .append("\", \"address\": \"").append(f.address(h)).append("\"}");
        }
        return list.toString();
    }

    /** Virtual service "app" trusting 127.0.0.1; {@code options} go into the virtual service's object. */
    private void start(String options, String subServices) {
        String json = """
                { "trustedProxies": ["127.0.0.1/32"],
                  "virtualServices": [ { "name": "app", "listen": "127.0.0.1:0", "protocol": "http",
                    "accessLog": false, %s
                    "subServices": [ %s ] } ] }
                """.formatted(options, subServices);
        gateway = Gateway.start(GatewayConfigReader.parse(json, dir));
    }

    private String pool(String name, TestFleet f, String extra) {
        return "{ \"name\": \"" + name + "\", " + extra + " \"realServers\": [ " + servers(f) + " ] }";
    }

    /** The real server that answered a GET sent with these X-Forwarded-For lines, in order. */
    private String served(String... forwardedLines) {
        StringBuilder request = new StringBuilder("GET /x HTTP/1.1\r\nHost: app.example.test\r\n");
        for (String line : forwardedLines) {
            request.append("X-Forwarded-For: ").append(line).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (RawClient client = RawClient.connect(gateway.address("app").getPort())) {
            String head = client.send(request.toString()).readHead();
            assertThat(RawClient.status(head)).as(head).isEqualTo(200);
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "X-Served-By:", 0, 12)) {
                    return line.substring(12).trim();
                }
            }
            throw new AssertionError("no X-Served-By in " + head);
        }
    }

    @Test
    void sourceRule_choosesTheSubServiceByTheRealClient_notTheForgedFirstLine() {
        start("\"scheduling\": \"round-robin\",", pool("inside", inside,
                "\"match\": [ { \"on\": \"source\", \"value\": \"192.0.2.0/24\" } ],") + ", "
                + pool("outside", fleet, "\"default\": true,"));
        for (int i = 0; i < 3; i++) {
            assertThat(served("192.0.2.9", "203.0.113.50")).as("forged inside address first").startsWith("ex");
            assertThat(served("203.0.113.50", "192.0.2.9")).as("the real client is inside").isEqualTo("in1");
            assertThat(served("192.0.2.9, 203.0.113.50")).as("elements of one line").startsWith("ex");
        }
        assertThat(served("192.0.2.9", "garbage")).as("an unknown client does not open the inside rule")
                .startsWith("ex");
    }

    @Test
    void sourceIpPersistence_pinsByTheRealClient() {
        start("\"scheduling\": \"round-robin\", \"persistence\": { \"mode\": \"source-ip\", \"sourceIpMask\": 32 },",
                pool("pool", fleet, "\"default\": true,"));
        String home = served("198.51.100.1", "203.0.113.50");
        for (int i = 2; i < 8; i++) {
            assertThat(served("198.51.100." + i, "203.0.113.50")).isEqualTo(home);
        }
        Set<String> clients = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            clients.add(served("203.0.113.50", "203.0.113." + (60 + i)));
        }
        assertThat(clients).as("different real clients behind one proxy and one forged line spread").hasSize(3);
    }

    @Test
    void sourceIpHash_picksByTheRealClient() {
        start("\"scheduling\": \"source-ip-hash\",", pool("pool", fleet, "\"default\": true,"));
        String home = served("198.51.100.1", "203.0.113.50");
        for (int i = 2; i < 8; i++) {
            assertThat(served("198.51.100." + i, "203.0.113.50")).isEqualTo(home);
        }
        Set<String> clients = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            clients.add(served("203.0.113.50", "198.51.100." + (100 + i)));
        }
        assertThat(clients).as("the hash follows the real client, not the forged line").hasSize(3);
    }
}
