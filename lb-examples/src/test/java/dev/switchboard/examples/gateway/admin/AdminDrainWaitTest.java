package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.Address;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.config.AdminSettings;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.examples.gateway.Gateway;
import dev.switchboard.netty.settings.ListenerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.switchboard.examples.gateway.admin.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole gateway in front of a real server that holds a request until told: a state change with a
 * {@code wait} answers once the drain is over or the wait has passed, and the admin API keeps answering meanwhile.
 */
class AdminDrainWaitTest {

    private static final String STATE = "/api/real-servers/slow/state";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService backendThreads = Executors.newCachedThreadPool();
    private HttpServer backend;
    private Gateway gateway;
    private AdminClient admin;

    @BeforeEach
    void start() throws IOException {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.setExecutor(backendThreads);
        backend.createContext("/", ex -> {
            entered.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "held\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        backend.start();
        gateway = Gateway.start(config("127.0.0.1:" + backend.getAddress().getPort()));
        admin = new AdminClient(gateway.findAdminAddress().orElseThrow());
    }

    @AfterEach
    void stop() {
        release.countDown();
        gateway.stop(Duration.ofSeconds(1)).join();
        backend.stop(0);
        backendThreads.shutdownNow();
    }

    private static GatewayConfig config(String backendAddress) {
        VirtualService web = VirtualService.builder("web").listen("127.0.0.1:0").protocol(Protocol.HTTP)
                .subService(SubService.builder("pool").asDefault()
                        .realServer(RealServer.of("slow", backendAddress)).build())
                .build();
        return new GatewayConfig(AdminSettings.of(Address.parse("127.0.0.1:0"), ""),
                LoadBalancer.builder().virtualService(web).build(),
                List.of(ListenerSettings.builder("web", Address.parse("127.0.0.1:0"), Protocol.HTTP)
                        .accessLog(false).build()));
    }

    /** Sends a request through the gateway and returns once the real server holds it. */
    private CompletableFuture<HttpResponse<String>> holdOne() throws InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + gateway.address("web").getPort() + "/held");
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the real server got the request").isTrue();
        return held;
    }

    private CompletableFuture<HttpResponse<String>> putLater(String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(admin.base() + STATE)).timeout(Duration.ofSeconds(20))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void putDraining_waitLongerThanHeldRequest_answersOnlyAfterItFinished_drainedTrue() throws Exception {
        CompletableFuture<HttpResponse<String>> held = holdOne();

        CompletableFuture<HttpResponse<String>> put = putLater("{\"state\":\"draining\",\"wait\":\"5s\"}");

        assertThatThrownBy(() -> put.get(700, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        HttpResponse<String> stats = admin.get("/api/stats"); // the admin thread is not held by the wait
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(json(stats).findValue("realServers").get(0).path("state").asText()).isEqualTo("draining");
        assertThat(put).isNotDone();
        release.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<String> answer = put.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = json(answer);
        assertThat(body.path("drained").asBoolean()).isTrue();
        assertThat(body.path("realServers").get(0).path("activeConnections").asInt()).isZero();
    }

    @Test
    void putDraining_waitShorterThanHeldRequest_answersDrainedFalseAfterTheWait() throws Exception {
        CompletableFuture<HttpResponse<String>> held = holdOne();
        long sent = System.nanoTime();

        HttpResponse<String> answer = putLater("{\"state\":\"draining\",\"wait\":\"1s\"}").get(10, TimeUnit.SECONDS);

        Duration took = Duration.ofNanos(System.nanoTime() - sent);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = json(answer);
        assertThat(body.path("drained").asBoolean()).isFalse();
        assertThat(body.path("state").asText()).isEqualTo("draining");
        assertThat(body.path("realServers").get(0).path("activeConnections").asInt()).isEqualTo(1);
        assertThat(took).isBetween(Duration.ofMillis(950), Duration.ofSeconds(5));
        assertThat(held).isNotDone();
    }

    @Test
    void pipelined_getAfterAWaitingPut_isAnsweredAfterIt_inOrder() throws Exception {
        holdOne();
        String put = "{\"state\":\"draining\",\"wait\":\"1s\"}";
        String raw = "PUT " + STATE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + put.length() + "\r\n\r\n" + put
                + "GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

        String answers = readAll(raw);

        int putAnswer = answers.indexOf("\"drained\":false");
        int statsAnswer = answers.indexOf("\"virtualServices\"");
        assertThat(putAnswer).as("the PUT's answer in %s", answers).isPositive();
        assertThat(statsAnswer).as("the GET's answer after the PUT's").isGreaterThan(putAnswer);
    }

    /** Sends {@code raw} on one connection and reads until the gateway closes it (10 s at most). */
    private String readAll(String raw) throws IOException {
        InetSocketAddress address = gateway.findAdminAddress().orElseThrow();
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void putDraining_noWait_answersAtOnceDrainedFalse() throws Exception {
        holdOne();

        HttpResponse<String> answer = putLater("{\"state\":\"draining\"}").get(2, TimeUnit.SECONDS);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).path("drained").asBoolean()).isFalse();
    }

    @Test
    void putDraining_waitWithNothingInFlight_answersDrainedTrueAtOnce() throws Exception {
        HttpResponse<String> answer = putLater("{\"state\":\"draining\",\"wait\":\"1h\"}").get(2, TimeUnit.SECONDS);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).path("drained").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"state\":\"draining\",\"wait\":\"soon\"}` | wait: duration 'soon': no number",
        "`{\"state\":\"draining\",\"wait\":\"5\"}`    | wait: duration '5': no unit",
        "`{\"state\":\"draining\",\"wait\":\"-1s\"}`  | wait: duration '-1s': negative",
        "`{\"state\":\"draining\",\"wait\":\"2h\"}`   | wait: 2h (expected: at most 1h)",
        "`{\"state\":\"draining\",\"wait\":\"61m\"}`  | wait: 61m (expected: at most 1h)",
        "`{\"state\":\"draining\",\"wait\":5}`        | wait: 5 (expected: a duration text",
        "`{\"state\":\"draining\",\"wait\":null}`     | wait: null (expected: a duration text"})
    void putState_badWait_answers400NamingFieldAndValue_stateUnchanged(String body, String error) {
        HttpResponse<String> r = admin.put(STATE, body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("status").asInt()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).startsWith(error);
        assertThat(json(admin.get("/api/stats")).findValue("realServers").get(0).path("state").asText())
                .isEqualTo("enabled");
    }
}
