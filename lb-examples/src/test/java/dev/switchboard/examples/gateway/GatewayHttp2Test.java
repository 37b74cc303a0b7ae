package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.config.ConfigCheck;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.netty.testing.AccessLogCapture;
import dev.switchboard.tls.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 through the whole gateway from a configuration file: an https virtual service offers {@code h2} by ALPN
 * without saying so, an http one with {@code "http2": {"cleartext": true}} answers the HTTP/2 preface; the JSON
 * access log says {@code "protocol": "HTTP/2.0"}; {@code --check} accepts the keys.
 */
class GatewayHttp2Test {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer backend;
    private Gateway gateway;
    private AccessLogCapture log;
    private TestPki.Issued ca;

    @BeforeEach
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = ("b1 " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        backend.start();
        ca = TestPki.ca("Gateway H2 CA");
        TestPki.leaf(ca, "localhost").writeCertificateAndKey(dir.resolve("gw.pem"), dir.resolve("gw.key"));
        log = new AccessLogCapture();
        gateway = Gateway.start(GatewayConfigReader.read(file()));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        log.close();
        backend.stop(0);
    }

    private Path file() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, """
                { "accessLog": {"format": "json"},
                  "virtualServices": [
                    { "name": "secure", "listen": "127.0.0.1:0", "protocol": "https",
                      "tls": { "certificate": "gw.pem", "privateKey": "gw.key" },
                      "http2": { "maxConcurrentStreams": 50 },
                      "subServices": [ { "name": "pool", "default": true,
                        "realServers": [ { "name": "b1", "address": "127.0.0.1:%1$d" } ] } ] },
                    { "name": "plain", "listen": "127.0.0.1:0", "protocol": "http",
                      "http2": { "cleartext": true },
                      "subServices": [ { "name": "pool", "default": true,
                        "realServers": [ { "name": "b1", "address": "127.0.0.1:%1$d" } ] } ] } ] }
                """.formatted(backend.getAddress().getPort()));
        return file;
    }

    @Test
    void https_offersH2ByDefault_andTheAccessLogSaysHttp2() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TestPki.clientContext(ca, "TLS")).connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("https://localhost:" + gateway.address("secure").getPort() + "/h2?q=1");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.body()).isEqualTo("b1 /h2?q=1");
        JsonNode line = JSON.readTree(log.next("\"uri\":\"/h2?q=1\""));
        assertThat(line.get("protocol").asText()).isEqualTo("HTTP/2.0");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("realServer").asText()).isEqualTo("b1");
    }

    @Test
    void http_withCleartext_answersThePrefaceWithSettings() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gateway.address("plain").getPort())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
            out.flush();
            InputStream in = s.getInputStream();
            byte[] frame = in.readNBytes(9);
            assertThat(frame).hasSize(9);
            assertThat(frame[3]).as("frame type SETTINGS").isEqualTo((byte) 4);
        }
    }

    @Test
    void check_acceptsTheHttp2Keys() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ConfigCheck.check(file(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(code).isEqualTo(ConfigCheck.OK);
    }
}
