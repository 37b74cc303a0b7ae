package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AuthMode;
import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.Authentication;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.SingleSignOn;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.event.AuthenticationEvent;
import dev.switchboard.api.event.EngineListener;
import dev.switchboard.api.event.EventKind;
import dev.switchboard.engine.auth.SsoCookies;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreAuthenticationDispatchTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-dispatch";
    private static final SingleSignOn SSO = SingleSignOn.builder().domain("example.com").secret(SECRET)
            .idleTimeout(Duration.ofHours(1)).build();

    private static LoadBalancer model() {
        return LoadBalancer.builder()
                .authentication(Authentication.builder().realm("mail").sso(SSO).build())
                .virtualService(VirtualService.builder("mail")
                        .auth(AuthPolicy.builder(AuthMode.FORM).exempt("/owa/auth/").build())
                        .subService(SubService.builder("eas").matchAny(ContentRule.pathPrefix("/Microsoft-Server"))
                                .auth(AuthPolicy.of(AuthMode.BASIC))
                                .realServer(RealServer.of("ex01", "10.0.0.1:443")).build())
                        .subService(SubService.builder("open").matchAny(ContentRule.pathPrefix("/public"))
                                .auth(AuthPolicy.NONE).realServer(RealServer.of("ex01", "10.0.0.1:443")).build())
                        .subService(SubService.builder("owa").asDefault()
                                .realServer(RealServer.of("ex01", "10.0.0.1:443")).build())
                        .build())
                .build();
    }

    private static String basic(String s) {
        return "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void form_noCookie_redirectsToLoginWithNextAndTakesNoLease() {
        try (DispatchEngine engine = DispatchEngine.create(model())) {
            Decision d = engine.dispatch("mail", request("/owa/?ae=Item").build());
            assertThat(d).isEqualTo(new Decision.Redirect(302, "/.switchboard/login?next=%2Fowa%2F%3Fae%3DItem"));
            VirtualServiceStats s = engine.stats().virtualServices().get(0);
            assertThat(s.authentication().challenges()).isEqualTo(1);
            assertThat(s.activeConnections()).isZero();
        }
    }

    @Test
    void basic_noCredentials_is401WithRealm() {
        try (DispatchEngine engine = DispatchEngine.create(model())) {
            Decision.Respond r = Requests.respond(engine.dispatch("mail",
                    request("/Microsoft-Server-ActiveSync").build()));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers()).containsExactly(HeaderEdit.set("WWW-Authenticate",
                    "Basic realm=\"mail\", charset=\"UTF-8\""));
        }
    }

    @Test
    void basic_credentials_askTheHostThenDispatchAuthenticatedForwardsAsTheUser() {
        try (DispatchEngine engine = DispatchEngine.create(model())) {
            var req = request("/Microsoft-Server-ActiveSync").header("Authorization", basic("alice:secret"))
                    .header("X-Authenticated-User", "admin").source(Requests.ip("192.0.2.7")).build();
            Decision d = engine.dispatch("mail", req);
            assertThat(d).isInstanceOf(Decision.Authenticate.class);
            Decision.Authenticate a = (Decision.Authenticate) d;
            assertThat(a.credentials().user()).isEqualTo("alice");
            assertThat(a.credentials().clientAddress()).isEqualTo("192.0.2.7");
            assertThat(a.subService()).isEqualTo("eas");
            assertThat(a.challenge()).isInstanceOf(Decision.Respond.class);
            assertThat(engine.stats().virtualServices().get(0).activeConnections()).isZero();

            Decision.Forward f = forward(engine.dispatchAuthenticated("mail", req, "alice", ""));
            assertThat(f.authenticatedUser()).isEqualTo("alice");
            assertThat(f.requestEdits()).containsExactly(HeaderEdit.set("X-Authenticated-User", "alice"),
                    HeaderEdit.remove("Authorization"));
            assertThat(f.onResponse(ResponseView.ofStatus(200))).noneMatch(e -> e.name().equals("Set-Cookie"));
            f.release(Outcome.ofStatus(200, 0));

            Decision.Forward opened = forward(engine.dispatchAuthenticated("mail", req, "alice", "SBSSO=v; Path=/"));
            assertThat(opened.authenticatedUser()).as("the user, through the cookie's wrapper").isEqualTo("alice");
            assertThat(opened.onResponse(ResponseView.ofStatus(200)))
                    .containsOnlyOnce(HeaderEdit.add("Set-Cookie", "SBSSO=v; Path=/"));
            opened.release(Outcome.ofStatus(200, 0));
        }
    }

    @Test
    void badAuthorization_is400NeverForwarded() {
        try (DispatchEngine engine = DispatchEngine.create(model())) {
            for (String bad : new String[] {"Basic !!!", basic("nocolon"), "Basic " + "QUFB".repeat(25_000)}) {
                Decision d = engine.dispatch("mail", request("/Microsoft-Server-ActiveSync")
                        .header("Authorization", bad).build());
                assertThat(Requests.respond(d).status()).as(bad.substring(0, Math.min(12, bad.length())))
                        .isEqualTo(400);
            }
        }
    }

    @Test
    void ssoCookie_letsThroughAsUserAndIsRemovedKeepingOtherCookies() {
        try (DispatchEngine engine = DispatchEngine.create(model())) {
            String cookie = SsoCookies.of(SSO).seal("alice");
            Decision.Forward f = forward(engine.dispatch("mail", request("/owa/")
                    .header("Cookie", "a=1; SBSSO=" + cookie + "; b=2")
                    .header("X-Authenticated-User", "admin").build()));
            assertThat(f.authenticatedUser()).isEqualTo("alice");
            assertThat(f.requestEdits()).containsExactly(HeaderEdit.set("X-Authenticated-User", "alice"),
                    HeaderEdit.remove("Authorization"), HeaderEdit.set("Cookie", "a=1; b=2"));
            f.release(Outcome.ofStatus(200, 0));
        }
    }

    @Test
    void forgedOrForeignCookie_isChallengedAndExplained() {
        try (DispatchEngine engine = DispatchEngine.create(model())) {
            SingleSignOn other = SingleSignOn.builder().domain("evil.test").secret(SECRET).build();
            String foreign = SsoCookies.of(other).seal("alice");
            DecisionTrace t = engine.explain("mail", request("/owa/").header("Cookie", "SBSSO=" + foreign).build());
            assertThat(t.decision()).isInstanceOf(Decision.Redirect.class);
            assertThat(t.steps()).anyMatch(s -> s.contains("challenged (cookie of another domain"));
            DecisionTrace forged = engine.explain("mail", request("/owa/").header("Cookie", "SBSSO=AAAA").build());
            assertThat(forged.steps()).anyMatch(s -> s.contains("cookie forged"));
            DecisionTrace ok = engine.explain("mail", request("/owa/")
                    .header("Cookie", "SBSSO=" + SsoCookies.of(SSO).seal("bob")).build());
            assertThat(ok.steps()).anyMatch(s -> s.contains("let through as bob"));
        }
    }

    @Test
    void exemptPathAndNoneSubService_goOnWithoutUser() {
        try (DispatchEngine engine = DispatchEngine.create(model())) {
            Decision.Forward exempt = forward(engine.dispatch("mail", request("/owa/auth/logon.aspx")
                    .header("X-Authenticated-User", "admin").build()));
            assertThat(exempt.authenticatedUser()).isEmpty();
            assertThat(exempt.requestEdits()).containsExactly(HeaderEdit.remove("X-Authenticated-User"));
            exempt.release(Outcome.ofStatus(200, 0));
            DecisionTrace t = engine.explain("mail", request("/owa/auth/x").build());
            assertThat(t.steps()).anyMatch(s -> s.contains("exempt"));
            Decision.Forward open = forward(engine.dispatch("mail", request("/public/x").build()));
            assertThat(open.requestEdits()).isEmpty();
            open.release(Outcome.ofStatus(200, 0));
            Decision.Forward forged = forward(engine.dispatch("mail", request("/public/x")
                    .header("X-Authenticated-User", "admin").build()));
            assertThat(forged.requestEdits()).containsExactly(HeaderEdit.remove("X-Authenticated-User"));
            assertThat(forged.authenticatedUser()).isEmpty();
            forged.release(Outcome.ofStatus(200, 0));
        }
    }

    @Test
    void recorder_countsInStatsAndSendsEventsToTheHistory() {
        EventHistory history = EventHistory.create();
        List<AuthenticationEvent> heard = new ArrayList<>();
        EngineListener both = new EngineListener() {
            @Override
            public void onAuthentication(AuthenticationEvent e) {
                heard.add(e);
                history.onAuthentication(e);
            }
        };
        try (DispatchEngine engine = DispatchEngine.builder(model()).listener(both).build()) {
            engine.authenticationRecorder().login("mail", "alice", "192.0.2.7", false);
            engine.authenticationRecorder().login("mail", "alice", "192.0.2.7", true);
            engine.authenticationRecorder().failure("mail", "bob", "192.0.2.8", "invalid credentials");
            engine.authenticationRecorder().lockout("mail", "bob", "192.0.2.8", "user locked for 60 s");
            AuthenticationStats s = engine.stats().virtualServices().get(0).authentication();
            assertThat(s).isEqualTo(new AuthenticationStats(0, 0, 1, 1, 1, 1, 0, 0));
            assertThat(heard).hasSize(3);
            assertThat(history.events()).extracting(e -> e.kind() + " " + e.to() + " " + e.reason()).containsExactly(
                    EventKind.AUTHENTICATION + " login user alice from 192.0.2.7",
                    EventKind.AUTHENTICATION + " failure user bob from 192.0.2.8: invalid credentials",
                    EventKind.AUTHENTICATION + " lockout user bob from 192.0.2.8: user locked for 60 s");
        }
    }
}
