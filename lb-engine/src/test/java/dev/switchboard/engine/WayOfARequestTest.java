package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.request;
import static dev.switchboard.engine.Requests.respond;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.MatchType;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order of the way of a request as it can be observed: the persistence keys and url hashing read the request
 * as the virtual service's rules left it, the sub-service's request rules run after the server is chosen (so they
 * never move a client), and explain lists the steps in the order they ran.
 */
class WayOfARequestTest {

    private static final int SERVERS = 4;
    private static final int CLIENTS = 40;

    private DispatchEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static SubService.Builder pool(int maxConnections) {
        SubService.Builder b = SubService.builder("app").asDefault();
        for (int i = 1; i <= SERVERS; i++) {
            b.realServer(RealServer.builder("s" + i, "10.0.0." + i + ":80").maxConnections(maxConnections).build());
        }
        return b;
    }

    private void engine(VirtualService.Builder vs) {
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(vs.build()).build());
    }

    private void engine(Persistence persistence, UnaryOperator<VirtualService.Builder> vsRules,
            UnaryOperator<SubService.Builder> subRules) {
        engine(vsRules.apply(VirtualService.builder("web").scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(persistence).subService(subRules.apply(pool(0)).build())));
    }

    /** The servers that requests for /item/0 .. /item/39 (one header value each) went to. */
    private Set<String> serversOfDistinctClients() {
        Set<String> servers = new HashSet<>();
        for (int c = 0; c < CLIENTS; c++) {
            Decision.Forward f = forward(engine.dispatch("web", request("/item/" + c)
                    .header("x-session", "session-" + c).build()));
            servers.add(f.target().server());
            f.release(Outcome.ofStatus(200, 0));
        }
        return servers;
    }

    @Test
    void urlHash_subServiceRuleRewritesEveryPathToOne_stillHashesThePathsApart() {
        engine(Persistence.of(PersistenceMode.URL_HASH), vs -> vs,
                sub -> sub.requestRule(HeaderRule.rewritePath("^/.*$", "/backend")));

        Set<String> servers = serversOfDistinctClients();

        // had the sub-service's rule run before the hash, every request would hash "/backend": one server
        assertThat(servers).hasSizeGreaterThan(1);
        Decision.Forward f = forward(engine.dispatch("web", request("/item/7").build()));
        assertThat(f.path()).isEqualTo("/backend");
        f.release(Outcome.ofStatus(200, 0));
    }

    @Test
    void urlHash_virtualServiceRuleRewritesEveryPathToOne_hashesTheRewrittenPath() {
        engine(Persistence.of(PersistenceMode.URL_HASH),
                vs -> vs.requestRule(HeaderRule.rewritePath("^/.*$", "/backend").afterMatch()), sub -> sub);

        assertThat(serversOfDistinctClients()).hasSize(1);
    }

    @Test
    void headerPersistence_subServiceRuleSetsTheHeader_keysOnTheValueTheClientSent() {
        engine(Persistence.builder(PersistenceMode.HEADER).header("X-Session").build(), vs -> vs,
                sub -> sub.requestRule(HeaderRule.setHeader("X-Session", "same-for-all")));

        assertThat(serversOfDistinctClients()).hasSizeGreaterThan(1);
        assertThat(engine.stats().virtualServices().get(0).subServices().get(0).persistenceEntries())
                .isEqualTo(CLIENTS);
    }

    @Test
    void headerPersistence_virtualServiceRuleSetsTheHeader_keysOnTheRewrittenValue() {
        engine(Persistence.builder(PersistenceMode.HEADER).header("X-Session").build(),
                vs -> vs.requestRule(HeaderRule.setHeader("X-Session", "same-for-all")), sub -> sub);

        assertThat(serversOfDistinctClients()).hasSize(1);
        assertThat(engine.stats().virtualServices().get(0).subServices().get(0).persistenceEntries()).isEqualTo(1);
    }

    @Test
    void headerPersistence_virtualServiceRuleRemovesTheHeader_hasNoKeyAndRecordsNothing() {
        engine(Persistence.builder(PersistenceMode.HEADER).header("X-Session").build(),
                vs -> vs.requestRule(HeaderRule.removeHeader("X-Session")), sub -> sub);

        assertThat(serversOfDistinctClients()).hasSize(SERVERS); // round robin, no key
        assertThat(engine.stats().virtualServices().get(0).subServices().get(0).persistenceEntries()).isZero();
    }

    @Test
    void contentSwitching_headerSetByABeforeMatchRule_selectsOnTheRewrittenHeader() {
        engine(VirtualService.builder("web")
                .requestRule(HeaderRule.setHeader("X-Tenant", "blue")
                        .when(ContentMatch.any(ContentRule.pathPrefix("/blue/"))))
                .subService(SubService.builder("blue")
                        .matchAny(ContentRule.header("x-tenant", MatchType.EXACT, "blue"))
                        .realServer(RealServer.of("b1", "10.0.1.1:80")).build())
                .subService(SubService.builder("other").asDefault()
                        .realServer(RealServer.of("o1", "10.0.2.1:80")).build()));

        assertThat(Requests.serverOf(engine.dispatch("web", request("/blue/x").build()))).isEqualTo("b1");
        assertThat(Requests.serverOf(engine.dispatch("web", request("/red/x").build()))).isEqualTo("o1");
    }

    @Test
    void explain_subServiceRules_showTheStepsInTheOrderTheyRan() {
        engine(Persistence.of(PersistenceMode.URL_HASH),
                vs -> vs.requestRule(HeaderRule.rewritePath("^/old/", "/new/")),
                sub -> sub.requestRule(HeaderRule.setHeader("X-Backend", "yes")));

        List<String> steps = engine.explain("web", request("/old/a").build()).steps();

        assertThat(indexOf(steps, "request rule rewrite-path"))
                .isLessThan(indexOf(steps, "sub-service 'app' selected"));
        assertThat(indexOf(steps, "sub-service 'app' selected")).isLessThan(indexOf(steps, "persistence keys"));
        assertThat(indexOf(steps, "persistence keys")).isLessThan(indexOf(steps, "picked "));
        assertThat(indexOf(steps, "picked ")).isLessThan(indexOf(steps, "request rules of sub-service 'app'"));
        assertThat(indexOf(steps, "request rules of sub-service 'app'"))
                .isLessThan(indexOf(steps, "request rule set-header X-Backend"));
        assertThat(steps.get(indexOf(steps, "persistence keys"))).contains("path /new/a");
    }

    @Test
    void subServiceDeny_afterTheServerIsChosen_givesTheSlotBack() {
        engine(VirtualService.builder("web").subService(pool(1)
                .requestRule(HeaderRule.deny(403).when(ContentMatch.any(ContentRule.pathPrefix("/admin"))))
                .persistence(Persistence.of(PersistenceMode.SOURCE_IP)).build()));

        for (int i = 0; i < 3 * SERVERS; i++) {
            assertThat(respond(engine.dispatch("web", request("/admin/x").build())).status()).isEqualTo(403);
        }

        SubServiceStats app = engine.stats().virtualServices().get(0).subServices().get(0);
        assertThat(app.realServers()).allSatisfy(s -> {
            assertThat(s.activeConnections()).isZero();
            assertThat(s.totalRequests()).isZero();
        });
        assertThat(app.persistenceEntries()).isZero();
        assertThat(app.totalRequests()).isZero();
        assertThat(engine.stats().virtualServices().get(0).rejected()).isEqualTo(3 * SERVERS);
        List<String> steps = engine.explain("web", request("/admin/x").build()).steps();
        assertThat(indexOf(steps, "picked ")).isLessThan(indexOf(steps, "answered 403"));
        // every server takes one connection: had a denied request kept its slot, this one would wait
        Decision.Forward f = forward(engine.dispatch("web", request("/x").build()));
        f.release(Outcome.ofStatus(200, 0));
    }

    @Test
    void subServiceRules_requestThatWaits_areAppliedWhenServed_andADenyAnswersWithoutWaiting() throws Exception {
        engine(VirtualService.builder("web").subService(SubService.builder("app").asDefault()
                .realServer(RealServer.builder("s1", "10.0.0.1:80").maxConnections(1).build())
                .queue(4, Duration.ofSeconds(30))
                .requestRule(HeaderRule.deny(403).when(ContentMatch.any(ContentRule.pathPrefix("/admin"))))
                .requestRule(HeaderRule.rewritePath("^/api/", "/")).build()));
        Decision.Forward first = forward(engine.dispatch("web", request("/api/one").build()));

        Decision waiting = engine.dispatch("web", request("/api/two").header("x-a", "1").build());
        Decision denied = engine.dispatch("web", request("/admin").build());

        assertThat(waiting).isInstanceOf(Decision.Queued.class);
        assertThat(respond(denied).status()).isEqualTo(403);
        assertThat(engine.stats().virtualServices().get(0).subServices().get(0).waiting()).isEqualTo(1);
        first.release(Outcome.ofStatus(200, 0));
        Decision.Forward served = forward(((Decision.Queued) waiting).future().get(5, TimeUnit.SECONDS));
        assertThat(served.path()).isEqualTo("/two");
        served.release(Outcome.ofStatus(200, 0));
    }

    @Test
    void subServiceRules_sorryServer_areAppliedToTheSorryForward() {
        engine(VirtualService.builder("web").subService(SubService.builder("app").asDefault()
                .realServer(RealServer.builder("s1", "10.0.0.1:80")
                        .initialState(AdminState.DISABLED).build())
                .sorryServer(Address.of("10.9.9.9", 80))
                .requestRule(HeaderRule.setHeader("X-Sorry", "1")).build()));

        Decision.Forward f = forward(engine.dispatch("web", request("/x").build()));

        assertThat(f.target().address().toString()).contains("10.9.9.9");
        assertThat(f.requestEdits()).containsExactly(HeaderEdit.set("X-Sorry", "1"));
        f.release(Outcome.ofStatus(200, 0));
    }

    private static int indexOf(List<String> steps, String start) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).startsWith(start) || steps.get(i).contains(start)) {
                return i;
            }
        }
        throw new AssertionError("no step containing '" + start + "' in " + steps);
    }
}
