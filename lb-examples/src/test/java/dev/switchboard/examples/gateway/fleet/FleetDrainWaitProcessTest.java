package dev.switchboard.examples.gateway.fleet;

import static dev.switchboard.examples.gateway.fleet.HttpFleet.PLAIN;
import static dev.switchboard.examples.gateway.fleet.HttpFleet.POOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.examples.gateway.fleet.HttpFleet.Member;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drain with a {@code wait} between reference gateways that are JVMs of their own: the member that set it answers
 * only once the request another member still has with the drained server is over.
 */
class FleetDrainWaitProcessTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private HttpFleet fleet;

    @BeforeEach
    void realServers() throws Exception {
        fleet = new HttpFleet(dir, "ex01", "ex02");
    }

    @AfterEach
    void stopAll() throws Exception {
        fleet.close();
    }

    @Test
    void drainWithWaitSetOnA_requestHeldThroughB_AAnswersOnlyAfterBsRequestFinished_drainedTrue() throws Exception {
        List<Member> all = HttpFleet.members("a", "b");
        GatewayProcess gatewayA = fleet.start(all.get(0), all);
        GatewayProcess gatewayB = fleet.start(all.get(1), all);
        CompletableFuture<HttpResponse<String>> held = HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + all.get(1).plain() + "/hold"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        String server = fleet.servers().awaitHeld();
        assertThat(server).as("the real server holding B's request").isNotNull();

        CompletableFuture<JsonNode> answer = gatewayA.setStateLater(server, "draining", "20s");

        Eventually.until("B to show the drain", Duration.ofSeconds(5),
                () -> gatewayB.serverState(PLAIN, POOL, server).equals("draining"));
        assertThatThrownBy(() -> answer.get(1500, TimeUnit.MILLISECONDS)).as("A's answer while B's request is held")
                .isInstanceOf(TimeoutException.class);
        fleet.servers().releaseHeld();
        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        JsonNode done = answer.get(15, TimeUnit.SECONDS);
        assertThat(done.path("httpStatus").asInt()).as("A's answer: %s", done).isEqualTo(200);
        assertThat(done.path("drained").asBoolean()).as("A's answer: %s", done).isTrue();
    }
}
