package dev.switchboard.examples.embed;

import dev.switchboard.api.testing.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.engine.SubServiceStats;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Undertow gateway while a request is with a real server of one connection ({@code maxConnections 1}): a second
 * request waits in the engine's queue without holding one of Undertow's two I/O threads, and a client that leaves
 * gives its lease back.
 */
class UndertowGatewayQueueTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HeldBackend held;
    private HttpServer other;
    private UndertowGateway gateway;

    @BeforeEach
    void start() throws Exception {
        held = new HeldBackend("held");
        other = TinyBackend.start("other");
        gateway = UndertowGateway.start(new InetSocketAddress("127.0.0.1", 0), LoadBalancer.builder()
                .virtualService(VirtualService.builder("web")
                        .subService(SubService.builder("slow").matchAny(ContentRule.pathPrefix("/slow"))
                                .realServer(RealServer.builder("held", held.address()).maxConnections(1).build())
                                .queue(1, Duration.ofSeconds(10)).build())
                        .subService(SubService.builder("fast").matchAny(ContentRule.pathPrefix("/fast"))
                                .realServer(RealServer.of("other", TinyBackend.address(other))).build())
                        .build()).build(), "web");
    }

    @AfterEach
    void tearDown() {
        gateway.close();
        held.close();
        other.stop(0);
    }

    private CompletableFuture<HttpResponse<String>> send(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private SubServiceStats slow() {
        return gateway.engine().stats().findVirtualService("web").orElseThrow().subServices().stream()
                .filter(s -> s.name().equals("slow")).findFirst().orElseThrow();
    }

    private RealServerStats heldStats() {
        return slow().realServers().get(0);
    }

    @Test
    void undertowGateway_queuedDecision_waitsWithoutAThread_andForwardsWhenTheSlotFrees() throws Exception {
        CompletableFuture<HttpResponse<String>> first = send("/slow/first");
        assertThat(held.awaitArrival()).as("first request at the real server").isTrue();
        CompletableFuture<HttpResponse<String>> second = send("/slow/second");
        Eventually.until("second request queued", Duration.ofSeconds(10), () -> slow().waiting() == 1);

        // one request with the real server, one in the queue: both I/O threads must still be free for others
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = send("/fast/" + i).get(5, TimeUnit.SECONDS);
            assertThat(r.body()).isEqualTo("other /fast/" + i + "\n");
        }
        assertThat(second).isNotDone();
        assertThat(held.unawaitedArrivals()).as("the queued one is not forwarded yet").isZero();

        held.release();
        assertThat(first.get(10, TimeUnit.SECONDS).body()).isEqualTo("held /slow/first\n");
        assertThat(second.get(10, TimeUnit.SECONDS).body()).isEqualTo("held /slow/second\n");
        assertThat(slow().queuedTotal()).isEqualTo(1);
        assertThat(slow().waiting()).isZero();
        Eventually.until("every lease released", Duration.ofSeconds(10), () -> heldStats().activeConnections() == 0);
        assertThat(heldStats().totalRequests()).isEqualTo(2);
        assertThat(heldStats().failures()).isZero();
    }

    @Test
    void undertowGateway_queueFull_answersTheEngines503WithRetryAfter() throws Exception {
        CompletableFuture<HttpResponse<String>> first = send("/slow/first");
        assertThat(held.awaitArrival()).isTrue();
        CompletableFuture<HttpResponse<String>> second = send("/slow/second");
        Eventually.until("second request queued", Duration.ofSeconds(10), () -> slow().waiting() == 1);

        HttpResponse<String> third = send("/slow/third").get(5, TimeUnit.SECONDS);

        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        assertThat(third.body()).startsWith("503 ");
        held.release();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(slow().rejected()).isEqualTo(1);
    }

    @Test
    void undertowGateway_clientGoneWhileTheRealServerWorks_releasesTheLease_notAsAServerFailure() throws Exception {
        try (Socket client = new Socket("127.0.0.1", URI.create(gateway.url()).getPort())) {
            client.getOutputStream().write("GET /slow/gone HTTP/1.1\r\nHost: web\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(held.awaitArrival()).isTrue();
            assertThat(heldStats().activeConnections()).isEqualTo(1);
        } // the client leaves before the answer
        held.release();

        Eventually.until("the lease released", Duration.ofSeconds(10), () -> heldStats().activeConnections() == 0);
        assertThat(heldStats().failures()).isZero();
        assertThat(send("/slow/next").get(10, TimeUnit.SECONDS).statusCode()).as("the slot is free").isEqualTo(200);
    }

    @Test
    void undertowGateway_clientGoneWhileQueued_leavesNoLeaseAndNoWaiter() throws Exception {
        CompletableFuture<HttpResponse<String>> first = send("/slow/first");
        assertThat(held.awaitArrival()).isTrue();
        try (Socket client = new Socket("127.0.0.1", URI.create(gateway.url()).getPort())) {
            client.getOutputStream().write("GET /slow/queued HTTP/1.1\r\nHost: web\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            Eventually.until("queued", Duration.ofSeconds(10), () -> slow().waiting() == 1);
        } // the client leaves while it waits
        held.release();

        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        Eventually.until("no waiter and no lease left", Duration.ofSeconds(10), () -> slow().waiting() == 0 && heldStats().activeConnections() == 0);
        assertThat(heldStats().failures()).isZero();
        assertThat(send("/slow/next").get(10, TimeUnit.SECONDS).statusCode()).as("the slot is free").isEqualTo(200);
    }

}
