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
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.TcpConnection;
import dev.switchboard.api.VirtualService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TablePersistenceTest {

    private DispatchEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static SubService.Builder pool(String name, int servers) {
        SubService.Builder b = SubService.builder(name);
        for (int i = 1; i <= servers; i++) {
            b.realServer(RealServer.of("ex" + String.format("%02d", i), "10.0.0." + i + ":443"));
        }
        return b;
    }

    private void engine(Persistence persistence, int servers) {
        engine(VirtualService.builder("mail").scheduling(SchedulingMethod.ROUND_ROBIN).persistence(persistence)
                .subService(pool("owa", servers).asDefault().build()));
    }

    private void engine(VirtualService.Builder vs) {
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(vs.build()).build());
    }

    private String visit(HttpRequest r) {
        return visit(r, ResponseView.ofStatus(200));
    }

    private String visit(HttpRequest r, ResponseView response) {
        Decision.Forward f = forward(engine.dispatch("mail", r));
        f.onResponse(response);
        f.release(Outcome.ofStatus(200, 0));
        return f.target().server();
    }

    @Test
    void sourceIp_withMask24_keepsASubnetTogether_andSpreadsOthers() {
        engine(Persistence.builder(PersistenceMode.SOURCE_IP).sourceIpMask(24).build(), 3);
        String first = visit(request("/").source(ip("192.0.2.10")).build());
        for (int host = 11; host < 40; host++) {
            assertThat(visit(request("/").source(ip("192.0.2." + host)).build())).isEqualTo(first);
        }
        Set<String> others = new HashSet<>();
        for (int net = 0; net < 6; net++) {
            others.add(visit(request("/").source(ip("198.51." + net + ".7")).build()));
        }
        assertThat(others).hasSize(3);
        assertThat(engine.stats().findVirtualService("mail").orElseThrow().persistenceEntries()).isEqualTo(7);
    }

    @Test
    void sourceIp_ipv6Mask64_keepsPrivacyAddressesOfOneNetworkTogether() {
        engine(Persistence.of(PersistenceMode.SOURCE_IP), 3);
        String first = visit(request("/").source(ip("2001:db8:1:2::10")).build());
        assertThat(visit(request("/").source(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).build())).isEqualTo(first);
        Set<String> others = new HashSet<>();
        for (int net = 0; net < 6; net++) {
            others.add(visit(request("/").source(ip("2001:db8:9:" + net + "::1")).build()));
        }
        assertThat(others).hasSize(3);
    }

    @Test
    void sourceIp_behindTrustedProxy_usesRightMostUntrustedHop_notTheSpoofedLeftMost() {
        engine(Persistence.builder(PersistenceMode.SOURCE_IP).trustedProxy("10.1.0.0/16").build(), 3);
        String real = visit(request("/").source(ip("10.1.0.5")).header("X-Forwarded-For", "203.0.113.50").build());
        for (int i = 0; i < 5; i++) {
            String spoofed = "198.51.100." + i + ", 203.0.113.50, 10.1.0.9";
            assertThat(visit(request("/").source(ip("10.1.0.5")).header("X-Forwarded-For", spoofed).build()))
                    .as("the client wrote the left-most hop; the right-most untrusted one is the client")
                    .isEqualTo(real);
        }
        assertThat(visit(request("/").source(ip("10.1.0.6"))
                .header("Forwarded", "for=198.51.100.1, for=\"203.0.113.50:4711\";proto=https").build()))
                .isEqualTo(real);
        Set<String> untrustedPeers = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            untrustedPeers.add(visit(request("/").source(ip("192.0.2." + i))
                    .header("X-Forwarded-For", "203.0.113.50").build()));
        }
        assertThat(untrustedPeers).as("an untrusted peer's X-Forwarded-For is ignored").hasSize(3);
    }

    @Test
    void sourceIp_garbageForwardedHeaders_meanNoKey_neverAnException() {
        engine(Persistence.builder(PersistenceMode.SOURCE_IP).trustedProxy("10.1.0.0/16").build(), 3);
        for (String xff : List.of("", ",,,", "not-an-ip", "999.1.1.1", "1.2.3.4.5", "[::1", "unknown",
                "a".repeat(20_000), "203.0.113.1, _hidden", "1.2.3.4, garbage")) {
            Set<String> servers = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                servers.add(visit(request("/").source(ip("10.1.0.5")).header("X-Forwarded-For", xff).build()));
            }
            assertThat(servers).as("'%s' gives no key: round robin", xff.length() > 30 ? "long" : xff).hasSize(3);
        }
        assertThat(engine.stats().findVirtualService("mail").orElseThrow().persistenceEntries()).isZero();
    }

    @Test
    void serverCookie_learnedFromSetCookie_sendsTheSessionBack() {
        engine(Persistence.builder(PersistenceMode.SERVER_COOKIE).cookieName("JSESSIONID").build(), 3);
        Decision.Forward login = forward(engine.dispatch("mail", request("/login").build()));
        String server = login.target().server();
        login.onResponse(Responses.withSetCookies("theme=dark; Path=/", "JSESSIONID=\"s3ss10n\"; Path=/; HttpOnly"));
        login.release(Outcome.ofStatus(200, 0));
        for (int i = 0; i < 9; i++) {
            assertThat(visit(request("/app").header("Cookie", "theme=dark; JSESSIONID=s3ss10n").build()))
                    .isEqualTo(server);
        }
        Set<String> unknown = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            unknown.add(visit(request("/app").header("Cookie", "JSESSIONID=other" + i).build()));
        }
        assertThat(unknown).hasSize(3);
    }

    @Test
    void header_andSuperHttp_keepAClientByItsHeaders() {
        engine(Persistence.builder(PersistenceMode.HEADER).header("X-Client-Id").build(), 3);
        String a = visit(request("/").header("X-Client-Id", "tenant-7").build());
        for (int i = 0; i < 5; i++) {
            assertThat(visit(request("/").header("X-Client-Id", "tenant-7").build())).isEqualTo(a);
        }
        engine.close();
        engine(Persistence.of(PersistenceMode.SUPER_HTTP), 3);
        HttpRequest browser = request("/").header("User-Agent", "Mozilla/5.0 (X11)").header("Authorization",
                "Basic dXNlcjpwYXNz").build();
        String b = visit(browser);
        for (int i = 0; i < 5; i++) {
            assertThat(visit(browser)).isEqualTo(b);
        }
    }

    @Test
    void urlHash_removingOneOfTenServers_remapsOnlyItsKeys() {
        engine(Persistence.of(PersistenceMode.URL_HASH), 10);
        Map<String, String> before = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            before.put("/doc/" + i, visit(request("/doc/" + i).build()));
        }
        engine.setAdminState("mail", "owa", "ex04", dev.switchboard.api.AdminState.DISABLED, java.time.Duration.ZERO);
        int moved = 0;
        for (var e : before.entrySet()) {
            String after = visit(request(e.getKey()).build());
            if (!after.equals(e.getValue())) {
                moved++;
                assertThat(e.getValue()).as("only keys of the removed server move").isEqualTo("ex04");
            }
        }
        assertThat(moved / 2_000.0).isBetween(0.05, 0.15);
        assertThat(engine.stats().findVirtualService("mail").orElseThrow().persistenceEntries())
                .as("hashed persistence keeps no table").isZero();
    }

    @Test
    void queryParamAndHost_hashTheirValue() {
        engine(Persistence.builder(PersistenceMode.QUERY_PARAM).param("user").build(), 5);
        String s = visit(request("/x?a=1&user=alice&b=2").build());
        assertThat(visit(request("/y?user=alice").build())).isEqualTo(s);
        Set<String> spread = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            spread.add(visit(request("/y?user=u" + i).build()));
        }
        assertThat(spread).hasSizeGreaterThan(3);
        engine.close();
        engine(Persistence.of(PersistenceMode.HOST), 5);
        String h = visit(HttpRequest.builder().authority("tenant1.example.com").build());
        assertThat(visit(HttpRequest.builder().authority("TENANT1.example.com:443").build())).isEqualTo(h);
    }

    @Test
    void perSubServiceByDefault_sharedWhenAsked() {
        VirtualService.Builder vs = VirtualService.builder("mail").scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(Persistence.of(PersistenceMode.SOURCE_IP))
                .subService(pool("owa", 2).matchAny(ContentRule.pathPrefix("/owa")).build())
                .subService(pool("ews", 2).matchAny(ContentRule.pathPrefix("/ews")).build());
        engine(vs);
        String owa = visit(request("/owa/").source(ip("192.0.2.1")).build());
        visit(request("/ews/").source(ip("192.0.2.2")).build()); // moves the ews round robin on
        String ews = visit(request("/ews/").source(ip("192.0.2.1")).build());
        assertThat(ews).as("a separate table per sub-service").isNotEqualTo(owa);
        engine.close();
        engine(VirtualService.builder("mail").scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(Persistence.builder(PersistenceMode.SOURCE_IP).shared(true).build())
                .subService(pool("owa", 2).matchAny(ContentRule.pathPrefix("/owa")).build())
                .subService(pool("ews", 2).matchAny(ContentRule.pathPrefix("/ews")).build()));
        String sharedOwa = visit(request("/owa/").source(ip("192.0.2.1")).build());
        visit(request("/ews/").source(ip("192.0.2.2")).build());
        assertThat(visit(request("/ews/").source(ip("192.0.2.1")).build())).isEqualTo(sharedOwa);
    }

    @Test
    void reconfigure_keepsEntriesOfServersThatKeepTheirName() {
        Persistence p = Persistence.of(PersistenceMode.SOURCE_IP);
        engine(p, 3);
        Map<String, String> before = new HashMap<>();
        for (int i = 1; i <= 30; i++) {
            before.put("192.0.2." + i, visit(request("/").source(ip("192.0.2." + i)).build()));
        }
        engine.reconfigure(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).persistence(p)
                .subService(pool("owa", 4).asDefault().build()).build()).build());
        before.forEach((client, server) ->
                assertThat(visit(request("/").source(ip(client)).build())).as(client).isEqualTo(server));
    }

    @Test
    void layer4_sslSessionIdWithSourceIpFallback() {
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(VirtualService.builder("imap")
                .protocol(Protocol.TCP).scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(Persistence.builder(PersistenceMode.SSL_SESSION_ID).fallback(PersistenceMode.SOURCE_IP)
                        .build())
                .subService(pool("pool", 3).asDefault().build()).build()).build());
        TcpConnection first = new TcpConnection(ip("192.0.2.1"), 993, "", "a1b2c3");
        String server = connect(first);
        assertThat(connect(new TcpConnection(ip("198.51.100.9"), 993, "", "a1b2c3"))).as("same session")
                .isEqualTo(server);
        assertThat(connect(TcpConnection.of(ip("192.0.2.1"), 993))).as("no session id: source ip")
                .isEqualTo(server);
    }

    @Test
    void layer4_sessionLearnedFromServerHello_resumptionGoesBackToThatServer() {
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(VirtualService.builder("imap")
                .protocol(Protocol.TCP).scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(Persistence.of(PersistenceMode.SSL_SESSION_ID))
                .subService(pool("pool", 3).asDefault().build()).build()).build());
        // a new session: the ClientHello has no session ID, the server picks one in its ServerHello
        Decision.Forward fresh = forward(engine.dispatch("imap", TcpConnection.of(ip("192.0.2.1"), 993)));
        fresh.onTlsSession("9f8e7d6c5b4a39281706f5e4d3c2b1a0");
        fresh.release(Outcome.ofStatus(0, 0));
        for (int i = 0; i < 5; i++) {
            assertThat(connect(new TcpConnection(ip("198.51.100." + i), 993, "", "9f8e7d6c5b4a39281706f5e4d3c2b1a0")))
                    .as("a resumption from anywhere").isEqualTo(fresh.target().server());
        }
        assertThat(engine.stats().findVirtualService("imap").orElseThrow().persistenceEntries()).isEqualTo(1);
    }

    private String connect(TcpConnection c) {
        Decision.Forward f = forward(engine.dispatch("imap", c));
        f.release(Outcome.ofStatus(0, 0));
        return f.target().server();
    }

    @Test
    void connectFailure_dropsTheClientsEntry_soTheRetryIsScheduledAfresh_whileOtherFailuresKeepIt() {
        engine(Persistence.builder(PersistenceMode.SOURCE_IP).build(), 2);
        HttpRequest client = request("/").source(ip("192.0.2.7")).build();
        String home = visit(client);
        assertThat(visit(client)).isEqualTo(home);

        Decision.Forward timedOut = forward(engine.dispatch("mail", client));
        timedOut.release(Outcome.ofFailure(Outcome.Failure.TIMEOUT, 0));
        assertThat(engine.stats().virtualServices().get(0).persistenceEntries()).isEqualTo(1);
        assertThat(visit(client)).isEqualTo(home);

        Decision.Forward refused = forward(engine.dispatch("mail", client));
        assertThat(refused.target().server()).isEqualTo(home);
        refused.release(Outcome.ofFailure(Outcome.Failure.CONNECT, 0));
        assertThat(engine.stats().virtualServices().get(0).persistenceEntries()).isZero();
        Set<String> retries = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            Decision.Forward retry = forward(engine.dispatch("mail", client));
            retries.add(retry.target().server());
            retry.release(Outcome.ofFailure(Outcome.Failure.CONNECT, 0));
        }
        assertThat(retries).as("two fresh schedules over two servers").hasSize(2);
    }
}
