package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.ip;
import static dev.switchboard.engine.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client address behind the virtual service's trusted proxies is resolved once per request and is the one
 * {@code source} rules, source-IP hashing and source-ip persistence (first mode and fallback) see.
 */
class ClientAddressDispatchTest {

    private static final String PROXY = "10.1.0.5";
    private DispatchEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static SubService.Builder pool(String name) {
        SubService.Builder b = SubService.builder(name);
        for (int i = 1; i <= 3; i++) {
            b.realServer(RealServer.of(name + i, "10.0.0." + i + ":443"));
        }
        return b;
    }

    private void engine(VirtualService.Builder vs) {
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(vs.build()).build());
    }

    /** Through the trusted proxy, with this X-Forwarded-For. */
    private static HttpRequest viaProxy(String proxy, String xff) {
        return request("/").source(ip(proxy)).header("X-Forwarded-For", xff).build();
    }

    private String visit(HttpRequest r) {
        Decision.Forward f = forward(engine.dispatch("app", r));
        f.release(Outcome.ofStatus(200, 0));
        return f.target().server();
    }

    private void sourceRuleEngine(ContentRule rule) {
        engine(VirtualService.builder("app").trustedProxy("10.1.0.0/16").scheduling(SchedulingMethod.ROUND_ROBIN)
                .subService(pool("inside").matchAny(rule).build())
                .subService(pool("outside").asDefault().build()));
    }

    @Test
    void sourceRule_matchesTheClientBehindTheProxy_notTheForgedFirstHop_norThePeer() {
        sourceRuleEngine(ContentRule.source("192.0.2.0/24"));
        assertThat(visit(viaProxy(PROXY, "192.0.2.9, 203.0.113.50"))).as("forged inside address on the left")
                .startsWith("outside");
        assertThat(visit(viaProxy(PROXY, "203.0.113.50, 192.0.2.9, 10.1.0.7"))).startsWith("inside");
        assertThat(visit(request("/").source(ip("192.0.2.9")).build())).as("a direct client is its peer")
                .startsWith("inside");
        assertThat(visit(request("/").source(ip("203.0.113.9")).header("X-Forwarded-For", "192.0.2.9").build()))
                .as("an untrusted peer's header is ignored").startsWith("outside");
    }

    @Test
    void sourceRule_unknownClient_neverMatchesAPositiveRule_butMatchesANegatedOne() {
        sourceRuleEngine(ContentRule.source("192.0.2.0/24"));
        for (String garbage : List.of("unknown", "192.0.2.9, garbage", "192.0.2.999", "x".repeat(9_000))) {
            assertThat(visit(viaProxy(PROXY, garbage))).as(garbage.length() > 40 ? "long" : garbage)
                    .startsWith("outside");
        }
        engine.close();
        sourceRuleEngine(ContentRule.source("192.0.2.0/24").negate());
        assertThat(visit(viaProxy(PROXY, "192.0.2.9, garbage"))).startsWith("inside");
        assertThat(visit(viaProxy(PROXY, "192.0.2.9"))).startsWith("outside");
    }

    @Test
    void sourceIpHash_picksByTheClientBehindTheProxy() {
        engine(VirtualService.builder("app").trustedProxy("10.1.0.0/16").scheduling(SchedulingMethod.SOURCE_IP_HASH)
                .subService(pool("pool").asDefault().build()));
        String home = visit(viaProxy(PROXY, "203.0.113.50"));
        for (int i = 0; i < 10; i++) {
            assertThat(visit(viaProxy("10.1.0." + (10 + i), "198.51.100." + i + ", 203.0.113.50")))
                    .as("another proxy and a forged first hop: same client, same server").isEqualTo(home);
        }
        Set<String> clients = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            clients.add(visit(viaProxy(PROXY, "203.0.113." + i)));
        }
        assertThat(clients).as("different clients behind one proxy spread").hasSize(3);
        Set<String> unknown = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            unknown.add(visit(viaProxy(PROXY, "garbage")));
        }
        assertThat(unknown).as("unknown clients are not all pinned to one server").hasSizeGreaterThan(1);
    }

    @Test
    void sourceIpPersistence_usesTheVirtualServicesTrustedProxies() {
        engine(VirtualService.builder("app").trustedProxy("10.1.0.0/16").scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(Persistence.of(PersistenceMode.SOURCE_IP)).subService(pool("pool").asDefault().build()));
        String home = visit(viaProxy(PROXY, "203.0.113.50"));
        for (int i = 0; i < 6; i++) {
            assertThat(visit(viaProxy("10.1.0." + (10 + i), "198.51.100." + i + ", 203.0.113.50"))).isEqualTo(home);
        }
        Set<String> unknown = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            unknown.add(visit(viaProxy(PROXY, "unknown")));
        }
        assertThat(unknown).as("an unknown client has no key: round robin").hasSize(3);
    }

    @Test
    void sourceIpFallback_ofActiveCookie_usesTheClientBehindTheProxy() {
        engine(VirtualService.builder("app").trustedProxy("10.1.0.0/16").scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(Persistence.builder(PersistenceMode.ACTIVE_COOKIE).fallback(PersistenceMode.SOURCE_IP)
                        .build()).subService(pool("pool").asDefault().build()));
        String home = visit(viaProxy(PROXY, "203.0.113.50"));
        for (int i = 0; i < 6; i++) {
            assertThat(visit(viaProxy("10.1.0." + (10 + i), "198.51.100." + i + ", 203.0.113.50")))
                    .as("no cookie: the fallback keys by the real client").isEqualTo(home);
        }
    }

    @Test
    void persistenceTrustedProxies_takePrecedenceForPersistence_theVirtualServicesForRules() {
        engine(VirtualService.builder("app").trustedProxy("10.1.0.0/16").scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(Persistence.builder(PersistenceMode.SOURCE_IP).trustedProxy("10.9.0.0/16").build())
                .subService(pool("inside").matchAny(ContentRule.source("192.0.2.0/24")).build())
                .subService(pool("outside").asDefault().build()));
        String home = visit(viaProxy(PROXY, "192.0.2.1"));
        assertThat(home).as("the rule sees the client the virtual service resolved").startsWith("inside");
        for (int i = 2; i < 8; i++) {
            assertThat(visit(viaProxy(PROXY, "192.0.2." + i))).as("persistence does not trust 10.1/16: keyed by"
                    + " the peer, so every client of that proxy shares its pin").isEqualTo(home);
        }
    }

    @Test
    void explain_namesTheClientAddressAndWhereItCameFrom() {
        sourceRuleEngine(ContentRule.source("192.0.2.0/24"));
        assertThat(engine.explain("app", viaProxy(PROXY, "198.51.100.1, 192.0.2.9")).toString())
                .contains("client address 192.0.2.9 (from the forwarded headers of trusted proxy 10.1.0.5)");
        assertThat(engine.explain("app", request("/").source(ip("203.0.113.9")).build()).toString())
                .contains("client address 203.0.113.9 (the TCP peer)");
        assertThat(engine.explain("app", viaProxy(PROXY, "garbage")).toString())
                .contains("client address unknown: the forwarded headers of trusted proxy 10.1.0.5 cannot be parsed");
    }
}
