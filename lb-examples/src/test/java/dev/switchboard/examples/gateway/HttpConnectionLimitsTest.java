package dev.switchboard.examples.gateway;

import dev.switchboard.api.testing.Eventually;

import dev.switchboard.netty.testing.AccessLogCapture;
import dev.switchboard.netty.testing.RawClient;

import static dev.switchboard.examples.gateway.LimitsFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Cidr;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.Timeouts;
import dev.switchboard.netty.limit.ConnectionBudget;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code limits.maxConnections} and {@code limits.maxConnectionsPerClient} on an http virtual service: exactly the
 * connection above a limit is refused (503 or 429, {@code Connection: close}, {@code Retry-After}, then closed),
 * the connections already open go on being served, a closed one makes room again, and the refusals are counted in
 * {@code /api/stats}. Behind a trusted proxy the forwarded client is counted per request.
 */
class HttpConnectionLimitsTest {

    private static LimitsFixture start(int maxConnections, int perClient, String... trustedProxies) {
        List<Cidr> trusted = Arrays.stream(trustedProxies).map(Cidr::parse).toList();
        return LimitsFixture.start(ConnectionBudget.of(1_000), b -> b.trustedProxies(trusted)
                .limits(Limits.DEFAULTS.withConnectionLimits(maxConnections, perClient)));
    }

    private static void assertRefused(String response, int status) {
        assertThat(RawClient.status(response)).isEqualTo(status);
        assertThat(response).containsIgnoringCase("\r\nConnection: close\r\n").contains("\r\nretry-after: 1\r\n");
    }

    private static void assertServed(RawClient c, String path) {
        String response = get(c, path);
        assertThat(RawClient.status(response)).as(response).isEqualTo(200);
        assertThat(response).endsWith("web " + path);
    }

    @Test
    void perClientLimitReached_nextConnection_answered429ClosedAndOthersServed() throws Exception {
        try (LimitsFixture g = start(0, 2); AccessLogCapture log = new AccessLogCapture()) {
            RawClient first = g.connectFrom("127.0.0.1");
            RawClient second = g.connectFrom("127.0.0.1");
            assertServed(first, "/a");
            assertServed(second, "/b");

            RawClient third = g.connectFrom("127.0.0.1");
            assertRefused(get(third, "/c"), 429);
            assertThat(third.closedByPeer()).isTrue();
            assertThat(log.next("refused=")).as("the refusal's access-log line")
                    .contains("client=127.0.0.1", "\"GET /c\"", " 429 ", "refused=maxConnectionsPerClient");

            assertServed(first, "/a2");
            assertServed(second, "/b2");
            assertServed(g.connectFrom("127.0.0.2"), "/other-client");
            assertThat(g.backend.server.getRequestCount()).as("the refused request reached no server").isEqualTo(5);

            first.socket.setSoLinger(true, 0); // a reset, not a close
            first.close();
            Eventually.until("the reset connection gives its slot back", Duration.ofSeconds(10),
                    () -> g.limiter().heldBy(InetAddress.getLoopbackAddress()) == 1);
            assertServed(g.connectFrom("127.0.0.1"), "/again");

            JsonNode web = g.webStats();
            assertThat(web.path("refusedConnections").asLong()).isEqualTo(1);
            assertThat(web.path("refusedConnectionsBy").path("maxConnectionsPerClient").asLong()).isEqualTo(1);
            assertThat(web.path("refusedConnectionsBy").path("maxConnections").asLong()).isZero();
            assertThat(web.path("maxConnectionsPerClient").asInt()).isEqualTo(2);
            assertThat(web.path("clientConnections").asInt()).isEqualTo(3);
        }
    }

    @Test
    void serviceLimitReached_nextConnection_answered503ClosedAndRecoversAfterAClose() throws Exception {
        try (LimitsFixture g = start(2, 0)) {
            RawClient first = g.connectFrom("127.0.0.1");
            RawClient second = g.connectFrom("127.0.0.2");
            assertServed(first, "/a");
            assertServed(second, "/b");

            RawClient third = g.connectFrom("127.0.0.3");
            assertRefused(get(third, "/c"), 503);
            assertThat(third.closedByPeer()).isTrue();
            RawClient fourth = g.connectFrom("127.0.0.4");
            assertRefused(get(fourth, "/d"), 503);

            assertServed(first, "/a2");
            assertServed(second, "/b2");
            second.close();
            Eventually.until("the closed connection gives its slot back", Duration.ofSeconds(10), () -> g.limiter().open() == 1);
            assertServed(g.connectFrom("127.0.0.3"), "/again");

            JsonNode web = g.webStats();
            assertThat(web.path("refusedConnections").asLong()).isEqualTo(2);
            assertThat(web.path("refusedConnectionsBy").path("maxConnections").asLong()).isEqualTo(2);
            assertThat(web.path("maxConnections").asInt()).isEqualTo(2);
        }
    }

    @Test
    void slowHead_cutWith408_countedInStatsOfTheVirtualService() {
        Timeouts d = Timeouts.DEFAULTS;
        Timeouts oneSecondHead = new Timeouts(d.connect(), d.firstByte(), d.clientIdle(), d.serverIdle(),
                d.shutdown(), Duration.ofSeconds(1), d.requestBodyMinRate(), d.requestBodyWindow());
        try (LimitsFixture g = LimitsFixture.start(ConnectionBudget.of(1_000), b -> b.timeouts(oneSecondHead))) {
            assertThat(g.webStats().path("requestHeadTimeouts").asLong()).isZero();
            RawClient slow = g.connectFrom("127.0.0.1");
            String head = slow.send("GET /slow HTTP/1.1\r\nHost: we").readHead();
            assertThat(head).startsWith("HTTP/1.1 408");
            Eventually.until("the cut is counted", Duration.ofSeconds(10), () -> g.webStats().path("requestHeadTimeouts").asLong() == 1);
            assertThat(g.webStats().path("requestBodyTimeouts").asLong()).isZero();
        }
    }

    @Test
    void refusedHeadRequest_answered_withoutBody() {
        try (LimitsFixture g = start(1, 0)) {
            assertServed(g.connectFrom("127.0.0.1"), "/a");
            RawClient refused = g.connectFrom("127.0.0.2");
            String head = refused.send("HEAD / HTTP/1.1\r\nHost: web\r\n\r\n").readHead();
            assertRefused(head, 503);
            assertThat(refused.closedByPeer()).as("no body follows the head").isTrue();
        }
    }

    @Test
    void refusedRequestWithALargeBody_bodyReadAndDropped_clientSeesTheAnswerNotAReset() {
        try (LimitsFixture g = start(1, 0)) {
            assertServed(g.connectFrom("127.0.0.1"), "/a");
            RawClient refused = g.connectFrom("127.0.0.2");
            byte[] body = new byte[16 << 20]; // more than the socket buffers hold: the gateway must read it
            refused.send("POST /upload HTTP/1.1\r\nHost: web\r\nContent-Length: " + body.length + "\r\n\r\n");
            refused.send(body);
            String response = refused.readResponse();
            assertRefused(response, 503);
            assertThat(response).endsWith("Service Unavailable\n");
            assertThat(refused.closedByPeer()).isTrue();
            Eventually.until("the refused connection gives its gateway slot back", Duration.ofSeconds(10), () -> g.budget().open() == 1);
        }
    }

    @Test
    void trustedProxy_perClientLimit_countsEachForwardedClientPerRequest() throws Exception {
        try (LimitsFixture g = start(0, 1, "127.0.0.1/32")) {
            RawClient held = g.connectFrom("127.0.0.1");
            g.hold(held, "X-Forwarded-For: 10.0.0.1");
            InetAddress client = InetAddress.getByName("10.0.0.1");
            assertThat(g.limiter().heldBy(client)).isEqualTo(1);

            // the proxy's connections are not counted per client: a second and a third one are accepted
            RawClient sameClient = g.connectFrom("127.0.0.1");
            assertRefused(get(sameClient, "/x", "X-Forwarded-For: 10.0.0.1"), 429);
            assertThat(sameClient.closedByPeer()).isTrue();
            RawClient forged = g.connectFrom("127.0.0.1");
            assertRefused(get(forged, "/x", "X-Forwarded-For: 10.0.0.2", "X-Forwarded-For: 10.0.0.1"), 429);

            RawClient otherClient = g.connectFrom("127.0.0.1");
            assertServed(otherClient, "/y"); // no forwarded header: the proxy is the client
            String response = get(otherClient, "/z", "X-Forwarded-For: 10.0.0.2");
            assertThat(RawClient.status(response)).isEqualTo(200);
            assertThat(get(otherClient, "/z2", "X-Forwarded-For: 10.0.0.2")).as("released after each response")
                    .startsWith("HTTP/1.1 200");
            RawClient direct = g.connectFrom("127.0.0.2"); // not a trusted proxy: its header is not believed
            assertThat(get(direct, "/d", "X-Forwarded-For: 10.0.0.1")).startsWith("HTTP/1.1 200");

            g.releaseHeld();
            assertThat(RawClient.status(held.readResponse())).isEqualTo(200);
            Eventually.until("the answered request gives its slot back", Duration.ofSeconds(10), () -> g.limiter().heldBy(client) == 0);
            RawClient again = g.connectFrom("127.0.0.1");
            assertThat(get(again, "/again", "X-Forwarded-For: 10.0.0.1")).startsWith("HTTP/1.1 200");

            JsonNode web = g.webStats();
            assertThat(web.path("refusedConnectionsBy").path("maxConnectionsPerClient").asLong()).isEqualTo(2);
            for (RawClient c : List.of(held, otherClient, direct, again)) {
                c.close();
            }
            Eventually.until("every slot given back", Duration.ofSeconds(10), g::allReleased);
        }
    }
}
