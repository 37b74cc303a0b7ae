package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.netty.testing.AccessLogCapture;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON access log through the whole gateway, from a configuration file with {@code "accessLog": {"format":
 * "json"}}: real requests to a real server whose body follows its head 150 ms later, each line parsed with Jackson.
 */
class GatewayJsonAccessLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long BODY_DELAY_MILLIS = 150;
    private static final byte[] BODY = "x".repeat(1234).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private HttpServer backend;
    private Gateway gateway;
    private AccessLogCapture log;

    @BeforeEach
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(201, BODY.length);
                OutputStream body = exchange.getResponseBody();
                body.flush(); // the head leaves now, the body later: the time to first byte is the head's
                LockSupport.parkNanos(Duration.ofMillis(BODY_DELAY_MILLIS).toNanos());
                body.write(BODY);
            }
        });
        backend.start();
        log = new AccessLogCapture();
        gateway = Gateway.start(GatewayConfigReader.read(file("{\"format\": \"json\"}")));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        log.close();
        backend.stop(0);
    }

    private Path file(String accessLog) throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, """
                { "accessLog": %s,
                  "virtualServices": [ { "name": "jsonlog", "listen": "127.0.0.1:0", "protocol": "http",
                    "subServices": [ { "name": "pool", "default": true,
                      "realServers": [ { "name": "b1", "address": "127.0.0.1:%d" } ] } ] } ] }
                """.formatted(accessLog, backend.getAddress().getPort()));
        return file;
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        URI uri = URI.create("http://" + Gateway.hostPort(gateway.address("jsonlog")) + path);
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardedRequest_oneJsonLine_withStatusBytesAndTtfbBelowTotal() throws Exception {
        Instant before = Instant.now();
        HttpResponse<String> response = send("POST", "/upload?id=7", "hello");
        assertThat(response.statusCode()).isEqualTo(201);

        JsonNode line = JSON.readTree(log.next("\"uri\":\"/upload?id=7\""));
        assertThat(line.path("virtualService").asText()).isEqualTo("jsonlog");
        assertThat(line.path("subService").asText()).isEqualTo("pool");
        assertThat(line.path("realServer").asText()).isEqualTo("b1");
        assertThat(line.path("address").asText()).isEqualTo("127.0.0.1:" + backend.getAddress().getPort());
        assertThat(line.path("client").asText()).isEqualTo("127.0.0.1");
        assertThat(line.path("method").asText()).isEqualTo("POST");
        assertThat(line.path("status").asInt()).isEqualTo(201);
        assertThat(line.path("bytesIn").asLong()).isEqualTo(5);
        assertThat(line.path("bytesOut").asLong()).isEqualTo(BODY.length);
        assertThat(line.path("failure").isNull()).isTrue();
        assertThat(Instant.parse(line.path("time").asText())).isBetween(before, Instant.now());
        double total = line.path("totalMs").asDouble();
        double ttfb = line.path("ttfbMs").asDouble();
        assertThat(line.path("ttfbMs").isNumber()).isTrue();
        assertThat(ttfb).isPositive().isLessThanOrEqualTo(total);
        assertThat(total - ttfb).as("the body came %d ms after the head", BODY_DELAY_MILLIS)
                .isGreaterThanOrEqualTo(BODY_DELAY_MILLIS * 0.8);
    }

    @Test
    void localAnswer_jsonLineWithNullServerFields() throws Exception {
        assertThat(send("GET", "/a/%2F../b", "").statusCode()).isEqualTo(400);
        JsonNode line = JSON.readTree(log.next("\"uri\":\"/a/%2F../b\""));
        assertThat(line.path("status").asInt()).isEqualTo(400);
        assertThat(line.path("realServer").isNull()).isTrue();
        assertThat(line.path("subService").isNull()).isTrue();
        assertThat(line.path("bytesOut").asLong()).isZero();
        assertThat(line.path("ttfbMs").asDouble()).isLessThanOrEqualTo(line.path("totalMs").asDouble());
    }

    @Test
    void check_badFormat_exitsTwoNamingThePathAndValue() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GatewayMain.run(new String[] {"--config", file("{\"format\": \"csv\"}").toString(), "--check"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("accessLog.format: expected one of text, json (got \"csv\")");
    }
}
