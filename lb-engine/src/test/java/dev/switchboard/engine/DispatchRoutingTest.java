package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.ip;
import static dev.switchboard.engine.Requests.request;
import static dev.switchboard.engine.Requests.respond;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.MatchType;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.Redirect;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DispatchRoutingTest {

    private DispatchEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static SubService sub(String name, ContentRule... rules) {
        return SubService.builder(name).matchAny(rules).realServer(RealServer.of(name + "1", "10.0.0.1:80")).build();
    }

    private static SubService defaultSub() {
        return SubService.builder("default").asDefault().realServer(RealServer.of("fallback", "10.0.0.9:80")).build();
    }

    private DispatchEngine engine(VirtualService.Builder vs) {
        engine = DispatchEngine.create(LoadBalancer.builder().virtualService(vs.build()).build());
        return engine;
    }

    private String subOf(Decision d) {
        Decision.Forward f = forward(d);
        f.release(Outcome.ofStatus(200, 0));
        return f.target().subService();
    }

    @Test
    void dispatch_pathPrefixIgnoringCase_choosesWorkloadWhateverTheCase() {
        engine(VirtualService.builder("mail")
                .subService(sub("owa", ContentRule.pathPrefix("/owa").ignoreCase()))
                .subService(sub("ews", ContentRule.path(MatchType.REGEX, "^/ews(/|$)").ignoreCase()))
                .subService(defaultSub()));
        assertThat(subOf(engine.dispatch("mail", get("/OWA/auth")))).isEqualTo("owa");
        assertThat(subOf(engine.dispatch("mail", get("/oWa")))).isEqualTo("owa");
        assertThat(subOf(engine.dispatch("mail", get("/EWS/Exchange.asmx")))).isEqualTo("ews");
        assertThat(subOf(engine.dispatch("mail", get("/ewsx")))).isEqualTo("default");
        assertThat(subOf(engine.dispatch("mail", get("/")))).isEqualTo("default");
    }

    @Test
    void dispatch_traversalInPath_isNormalizedBeforeMatching() {
        engine(VirtualService.builder("mail")
                .subService(sub("owa", ContentRule.pathPrefix("/owa")))
                .subService(sub("ecp", ContentRule.pathPrefix("/ecp")))
                .subService(defaultSub()));
        Decision.Forward f = forward(engine.dispatch("mail", get("/owa/../ecp/x")));
        assertThat(f.target().subService()).isEqualTo("ecp");
        assertThat(f.path()).isEqualTo("/ecp/x");
        assertThat(subOf(engine.dispatch("mail", get("/owa//%2e/./mail")))).isEqualTo("owa");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../etc", "/owa/%2e%2e/%2E%2E/x", "/a%2Fb", "/a%zz", "/a%4", "/a%00b", "/a\u0000b",
        "/caf\u00e9", "/a b", "/a\\b", "relative"})
    void dispatch_badPath_answers400WithoutException(String path) {
        engine(VirtualService.builder("mail").subService(defaultSub()));
        Decision.Respond r = respond(engine.dispatch("mail", get(path)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.reason()).startsWith("path:");
    }

    @Test
    void dispatch_overlongPath_answers400() {
        engine(VirtualService.builder("mail").maxPathLength(64).subService(defaultSub()));
        assertThat(respond(engine.dispatch("mail", get("/" + "a".repeat(64)))).status()).isEqualTo(400);
        assertThat(subOf(engine.dispatch("mail", get("/" + "a".repeat(63))))).isEqualTo("default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"m\u00e4il.example.com", "mail example.com", "mail.example.com:99999", "a..b", "[::1",
        "mail\u0000.example.com"})
    void dispatch_badHost_answers400(String authority) {
        engine(VirtualService.builder("mail").subService(defaultSub()));
        HttpRequest r = HttpRequest.builder().authority(authority).target("/").build();
        Decision.Respond answer = respond(engine.dispatch("mail", r));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.reason()).startsWith("host:");
    }

    @Test
    void dispatch_hostRule_ignoresCaseTrailingDotAndPort() {
        engine(VirtualService.builder("mail")
                .subService(sub("mail", ContentRule.host(MatchType.EXACT, "Mail.Example.com.")))
                .subService(defaultSub()));
        for (String authority : List.of("mail.example.com", "MAIL.EXAMPLE.COM:443", "mail.example.com.")) {
            HttpRequest r = HttpRequest.builder().authority(authority).target("/x").build();
            assertThat(subOf(engine.dispatch("mail", r))).as(authority).isEqualTo("mail");
        }
        HttpRequest other = HttpRequest.builder().authority("mail.example.org").target("/x").build();
        assertThat(subOf(engine.dispatch("mail", other))).isEqualTo("default");
    }

    @Test
    void dispatch_noMatchAndNoDefault_answers404() {
        engine(VirtualService.builder("mail").subService(sub("owa", ContentRule.pathPrefix("/owa"))));
        assertThat(respond(engine.dispatch("mail", get("/ews"))).status()).isEqualTo(404);
        assertThat(engine.stats().findVirtualService("mail").orElseThrow().rejected()).isEqualTo(1);
    }

    @Test
    void dispatch_unknownVirtualService_answers503NamingIt() {
        engine(VirtualService.builder("mail").subService(defaultSub()));
        Decision.Respond r = respond(engine.dispatch("nope", get("/")));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.reason()).contains("'nope'");
    }

    @Test
    void rewritePath_beforeMatch_landsInTheRewrittenWorkload() {
        engine(VirtualService.builder("mail")
                .requestRule(HeaderRule.rewritePath("^/(test)?$", "/owa/"))
                .subService(sub("owa", ContentRule.pathPrefix("/owa")))
                .subService(defaultSub()));
        Decision.Forward f = forward(engine.dispatch("mail", get("/test")));
        assertThat(f.target().subService()).isEqualTo("owa");
        assertThat(f.path()).isEqualTo("/owa/");
        assertThat(subOf(engine.dispatch("mail", get("/")))).isEqualTo("owa");
        assertThat(subOf(engine.dispatch("mail", get("/testing")))).isEqualTo("default");
    }

    @Test
    void rewritePath_afterMatchWithGroups_stripsPrefixForTheBackend() {
        engine(VirtualService.builder("api")
                .requestRule(HeaderRule.rewritePath("^/api(/.*)$", "$1").afterMatch())
                .subService(sub("api", ContentRule.pathPrefix("/api/")))
                .subService(defaultSub()));
        Decision.Forward f = forward(engine.dispatch("api", get("/api/v1/users?id=3")));
        assertThat(f.target().subService()).isEqualTo("api");
        assertThat(f.path()).isEqualTo("/v1/users");
        assertThat(f.query()).isEqualTo("id=3");
    }

    @Test
    void rewritePath_resultClimbingAboveRoot_answers400() {
        engine(VirtualService.builder("mail")
                .requestRule(HeaderRule.rewritePath("^/x$", "/../y"))
                .subService(defaultSub()));
        Decision.Respond r = respond(engine.dispatch("mail", get("/x")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.reason()).contains("rewritten");
    }

    @Test
    void rewriteHost_withGroups_changesHostSentAndMatched() {
        engine(VirtualService.builder("mail")
                .requestRule(HeaderRule.rewriteHost("^([a-z]+)\\.old\\.example$", "$1.new.example"))
                .subService(sub("new", ContentRule.host(MatchType.SUFFIX, ".new.example")))
                .subService(defaultSub()));
        HttpRequest r = HttpRequest.builder().authority("owa.old.example").target("/").build();
        Decision.Forward f = forward(engine.dispatch("mail", r));
        assertThat(f.host()).isEqualTo("owa.new.example");
        assertThat(f.target().subService()).isEqualTo("new");
        Decision.Forward untouched = forward(engine.dispatch("mail", get("/")));
        assertThat(untouched.host()).isEqualTo("mail.example.com");
    }

    @Test
    void rewriteHost_toUpperCaseOrInvalid_isNormalizedOrAnswers400() {
        engine(VirtualService.builder("mail")
                .requestRule(HeaderRule.rewriteHost("^old\\.example$", "OWA.New.Example"))
                .requestRule(HeaderRule.rewriteHost("^bad\\.example$", "bad host"))
                .subService(sub("new", ContentRule.host(MatchType.EXACT, "owa.new.example")))
                .subService(defaultSub()));
        Decision.Forward f = forward(engine.dispatch("mail", HttpRequest.builder().authority("old.example").build()));
        assertThat(f.target().subService()).isEqualTo("new");
        assertThat(f.host()).isEqualTo("owa.new.example");
        Decision.Respond r = respond(engine.dispatch("mail", HttpRequest.builder().authority("bad.example").build()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.reason()).startsWith("rewritten host:");
    }

    @Test
    void headerRules_setAddRemoveReplace_produceEditsInOrder() {
        engine(VirtualService.builder("mail")
                .requestRule(HeaderRule.setHeader("X-Gateway", "sb"))
                .requestRule(HeaderRule.addHeader("Via", "1.1 sb"))
                .requestRule(HeaderRule.removeHeader("X-Debug"))
                .requestRule(HeaderRule.replaceHeader("User-Agent", "Outlook/(\\d+)", "OL$1"))
                .requestRule(HeaderRule.replaceHeader("X-Absent", "a", "b"))
                .subService(SubService.builder("default").asDefault()
                        .requestRule(HeaderRule.replaceHeader("X-Gateway", "sb", "switchboard"))
                        .realServer(RealServer.of("s1", "10.0.0.1:80")).build()));
        HttpRequest r = request("/").header("User-Agent", "Microsoft Outlook/16 (x)").build();
        Decision.Forward f = forward(engine.dispatch("mail", r));
        assertThat(f.requestEdits()).containsExactly(
                HeaderEdit.set("X-Gateway", "sb"),
                HeaderEdit.add("Via", "1.1 sb"),
                HeaderEdit.remove("X-Debug"),
                HeaderEdit.set("User-Agent", "Microsoft OL16 (x)"),
                HeaderEdit.set("X-Gateway", "switchboard"));
    }

    @Test
    void denyRule_withCondition_answersChosenStatusOnlyWhenMatching() {
        engine(VirtualService.builder("mail")
                .requestRule(HeaderRule.deny(404).when(ContentMatch.all(
                        ContentRule.pathPrefix("/ecp").ignoreCase(), ContentRule.source("10.0.0.0/8").negate())))
                .subService(defaultSub()));
        Decision.Respond r = respond(engine.dispatch("mail", request("/ECP/").source(ip("203.0.113.5")).build()));
        assertThat(r.status()).isEqualTo(404);
        assertThat(subOf(engine.dispatch("mail", request("/ecp/").source(ip("10.2.3.4")).build())))
                .isEqualTo("default");
        assertThat(subOf(engine.dispatch("mail", request("/owa/").source(ip("203.0.113.5")).build())))
                .isEqualTo("default");
    }

    @Test
    void denyRule_withoutStatus_answers403() {
        engine(VirtualService.builder("mail")
                .requestRule(HeaderRule.deny().when(ContentMatch.any(ContentRule.path(MatchType.SUFFIX, ".bak"))))
                .subService(defaultSub()));
        assertThat(respond(engine.dispatch("mail", get("/web.config.bak"))).status()).isEqualTo(403);
    }

    @Test
    void responseRules_subServiceThenVirtualService_andConditionsFromTheRequest() {
        engine(VirtualService.builder("mail")
                .responseRule(HeaderRule.removeHeader("Server"))
                .responseRule(HeaderRule.setHeader("Cache-Control", "no-store")
                        .when(ContentMatch.any(ContentRule.pathPrefix("/private"))))
                .subService(SubService.builder("default").asDefault()
                        .responseRule(HeaderRule.replaceHeader("Location", "^http://", "https://"))
                        .realServer(RealServer.of("s1", "10.0.0.1:80")).build()));
        ResponseView response = new ResponseView() {
            @Override
            public int status() {
                return 302;
            }

            @Override
            public String header(String name) {
                return Map.of("location", "http://mail.example.com/owa/").get(name.toLowerCase());
            }
        };
        Decision.Forward priv = forward(engine.dispatch("mail", get("/private/x")));
        assertThat(priv.onResponse(response)).containsExactly(
                HeaderEdit.set("Location", "https://mail.example.com/owa/"),
                HeaderEdit.remove("Server"),
                HeaderEdit.set("Cache-Control", "no-store"));
        Decision.Forward pub = forward(engine.dispatch("mail", get("/public")));
        assertThat(pub.onResponse(ResponseView.ofStatus(200))).containsExactly(HeaderEdit.remove("Server"));
    }

    @Test
    void redirector_keepsPathAndQuery_andChangesScheme() {
        engine(VirtualService.builder("http").redirect(Redirect.toScheme("https")));
        Decision d = engine.dispatch("http", HttpRequest.builder().authority("Mail.Example.com:80")
                .target("/owa/../owa/?a=1&b=2").build());
        assertThat(d).isEqualTo(new Decision.Redirect(301, "https://mail.example.com/owa/?a=1&b=2"));
    }

    @Test
    void redirector_withHostAndPort_usesThem_andOmitsDefaultPorts() {
        engine(VirtualService.builder("http").redirect(new Redirect("https", "secure.example.com", 8443, 308)));
        assertThat(engine.dispatch("http", get("/x"))).isEqualTo(
                new Decision.Redirect(308, "https://secure.example.com:8443/x"));
        engine.close();
        engine(VirtualService.builder("http").redirect(new Redirect("https", "", 443, 302)));
        assertThat(engine.dispatch("http", get("/x"))).isEqualTo(new Decision.Redirect(302, "https://mail.example.com/x"));
    }

    @Test
    void redirector_withoutHostHeader_answers400() {
        engine(VirtualService.builder("http").redirect(Redirect.toScheme("https")));
        Decision.Respond r = respond(engine.dispatch("http", HttpRequest.builder().target("/x").build()));
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void explain_recordsEveryStep_andTakesNoSlot() {
        engine(VirtualService.builder("mail")
                .requestRule(HeaderRule.rewritePath("^/$", "/owa/"))
                .subService(sub("ews", ContentRule.path(MatchType.REGEX, "^/ews")))
                .subService(sub("owa", ContentRule.pathPrefix("/owa")))
                .subService(defaultSub()));
        DecisionTrace trace = engine.explain("mail", get("/"));
        assertThat(String.join("\n", trace.steps()))
                .contains("normalized path /")
                .contains("rewrite-path")
                .contains("trying sub-service 'ews'")
                .contains("sub-service 'owa' selected")
                .contains("candidate owa1 10.0.0.1:80: enabled, up, weight 1")
                .contains("picked owa1");
        Decision.Forward f = forward(trace.decision());
        assertThat(f.target().server()).isEqualTo("owa1");
        f.release(Outcome.ofStatus(200, 0));
        RealServerStats s = engine.stats().findRealServer("mail", "owa", "owa1").orElseThrow();
        assertThat(s.totalRequests()).isZero();
        assertThat(s.activeConnections()).isZero();
        assertThat(engine.stats().findVirtualService("mail").orElseThrow().totalRequests()).isZero();
    }
}
