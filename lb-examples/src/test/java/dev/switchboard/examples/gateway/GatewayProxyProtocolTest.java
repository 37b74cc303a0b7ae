package dev.switchboard.examples.gateway;

import static dev.switchboard.examples.gateway.LimitsFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Cidr;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.netty.limit.ConnectionBudget;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.testing.AccessLogCapture;
import dev.switchboard.netty.testing.RawClient;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * A gateway whose virtual service {@code web} accepts the PROXY protocol from 127.0.0.1 only: the carried client
 * reaches the real server in {@code X-Forwarded-For}, is the client that per-client limits count, and refusals are
 * counted in {@code /api/stats} as {@code proxyProtocolRejected}.
 */
class GatewayProxyProtocolTest {

    private static LimitsFixture start(int perClient) {
        return start(0, perClient);
    }

    private static LimitsFixture start(int maxConnections, int perClient) {
        return LimitsFixture.start(ConnectionBudget.of(1_000), b -> b.trustedProxies(List.of(Cidr.parse("127.0.0.1")))
                .acceptProxyProtocol(true).limits(Limits.DEFAULTS.withConnectionLimits(maxConnections, perClient)));
    }

    private static RawClient proxied(LimitsFixture g, String client) {
        return g.connectFrom("127.0.0.1").send("PROXY TCP4 " + client + " 127.0.0.1 40000 80\r\n");
    }

    @Test
    void trustedUntrustedAndMalformed_servedOrClosed_andCountedInStats() throws Exception {
        try (LimitsFixture g = start(0)) {
            String response = get(proxied(g, "192.0.2.7"), "/a");
            assertThat(RawClient.status(response)).isEqualTo(200);
            RecordedRequest seen = g.backend.take();
            assertThat(seen.getHeaders().get("X-Forwarded-For")).isEqualTo("192.0.2.7");

            RawClient untrusted = g.connectFrom("127.0.0.2").send("PROXY TCP4 192.0.2.7 127.0.0.1 40000 80\r\n");
            assertThat(untrusted.closedByPeer()).isTrue();
            RawClient malformed = g.connectFrom("127.0.0.1").send("GET / HTTP/1.1\r\nHost: web\r\n\r\n");
            assertThat(malformed.closedByPeer()).isTrue();

            Eventually.until("two refusals counted", () -> g.webStats().path("proxyProtocolRejected").asLong() == 2);
            JsonNode by = g.webStats().path("proxyProtocolRejectedBy");
            assertThat(by.path("untrusted").asLong()).isEqualTo(1);
            assertThat(by.path("malformed").asLong()).isEqualTo(1);
            assertThat(by.path("timeout").asLong()).isZero();
            assertThat(g.backend.server.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void serviceLimitReached_theRefusalReadsTheHeaderFirst_answered503() throws Exception {
        try (LimitsFixture g = start(1, 0); AccessLogCapture log = new AccessLogCapture()) {
            RawClient first = proxied(g, "192.0.2.7");
            assertThat(RawClient.status(get(first, "/a"))).isEqualTo(200);
            String refused = get(proxied(g, "192.0.2.8"), "/b");
            assertThat(RawClient.status(refused)).isEqualTo(503);
            assertThat(log.next("refused=")).contains("client=192.0.2.8", "\"GET /b\"");
            Eventually.until("no header refused", () -> g.webStats().path("refusedConnections").asLong() == 1);
            assertThat(g.webStats().path("proxyProtocolRejected").asLong()).isZero();
        }
    }

    @Test
    void perClientLimit_countsTheCarriedClient_notItsForwardedHeaders() throws Exception {
        try (LimitsFixture g = start(1)) {
            RawClient holding = proxied(g, "192.0.2.7");
            g.hold(holding);
            // the same carried client on another connection of the trusted proxy, with a forged X-Forwarded-For
            RawClient same = proxied(g, "192.0.2.7");
            assertThat(RawClient.status(get(same, "/b", "X-Forwarded-For: 10.9.9.9"))).isEqualTo(429);
            RawClient other = proxied(g, "192.0.2.8");
            assertThat(RawClient.status(get(other, "/c"))).isEqualTo(200);
            g.releaseHeld();
            assertThat(RawClient.status(holding.readResponse())).isEqualTo(200);
            for (RawClient c : List.of(holding, same, other)) {
                c.close();
            }
            Eventually.until("every connection let go", g::allReleased);
        }
    }
}
