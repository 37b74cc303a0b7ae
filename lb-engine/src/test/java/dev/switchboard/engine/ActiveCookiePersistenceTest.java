package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.request;
import static dev.switchboard.engine.Responses.cookiePair;
import static dev.switchboard.engine.Responses.setCookies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Health;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActiveCookiePersistenceTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final List<DispatchEngine> engines = new java.util.ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(DispatchEngine::close);
    }

    private DispatchEngine engine(Persistence persistence) {
        SubService.Builder pool = SubService.builder("owa").asDefault();
        for (int i = 1; i <= 3; i++) {
            pool.realServer(RealServer.of("ex0" + i, "10.0.0." + i + ":443"));
        }
        DispatchEngine e = DispatchEngine.builder(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).persistence(persistence).subService(pool.build()).build())
                .build()).ticker(now::get).build();
        engines.add(e);
        return e;
    }

    private static Persistence cookie() {
        return Persistence.builder(PersistenceMode.ACTIVE_COOKIE).timeout(Duration.ofMinutes(45))
                .cookieSecret("0123456789abcdef-shared").build();
    }

    /** Dispatches, reports a plain response, releases; returns the server and the Set-Cookie values. */
    private static Result visit(DispatchEngine engine, HttpRequest request) {
        Decision.Forward f = forward(engine.dispatch("mail", request));
        List<String> cookies = setCookies(f.onResponse(ResponseView.ofStatus(200)));
        f.release(Outcome.ofStatus(200, 0));
        return new Result(f.target().server(), cookies);
    }

    private record Result(String server, List<String> setCookies) {
    }

    @Test
    void firstVisit_insertsSignedCookie_andLaterVisitsStayOnThatServer() {
        DispatchEngine engine = engine(cookie());
        Result first = visit(engine, request("/owa/").build());
        assertThat(first.setCookies()).hasSize(1);
        String setCookie = first.setCookies().get(0);
        assertThat(setCookie).matches("SBSRV=[A-Za-z0-9_-]{27}; Path=/; Max-Age=2700; HttpOnly; SameSite=Lax; Secure");
        for (int i = 0; i < 20; i++) {
            Result again = visit(engine, request("/owa/").header("Cookie", "a=b; " + cookiePair(setCookie) + "; c=d")
                    .build());
            assertThat(again.server()).isEqualTo(first.server());
            assertThat(again.setCookies()).as("a fresh cookie is not re-issued").isEmpty();
        }
        Set<String> withoutCookie = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            withoutCookie.add(visit(engine, request("/owa/").build()).server());
        }
        assertThat(withoutCookie).as("clients without the cookie are scheduled round robin").hasSize(3);
    }

    @Test
    void plainHttp_cookieHasNoSecureAttribute() {
        DispatchEngine engine = engine(cookie());
        Result first = visit(engine, request("/").scheme("http").build());
        assertThat(first.setCookies().get(0)).doesNotContain("Secure");
    }

    @Test
    void sessionCookie_hasNoMaxAge_butStillExpiresServerSide() {
        DispatchEngine engine = engine(Persistence.builder(PersistenceMode.ACTIVE_COOKIE).cookieSession(true)
                .timeout(Duration.ofMinutes(10)).cookieSameSite("Strict").cookieHttpOnly(false).build());
        String setCookie = visit(engine, request("/").build()).setCookies().get(0);
        assertThat(setCookie).doesNotContain("Max-Age").doesNotContain("HttpOnly").contains("SameSite=Strict");
        now.addAndGet(Duration.ofMinutes(11).toNanos());
        Result later = visit(engine, request("/").header("Cookie", cookiePair(setCookie)).build());
        assertThat(later.setCookies()).as("an expired cookie is replaced").hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"flip", "truncate", "extend", "garbage", "empty", "quoted-garbage", "non-ascii"})
    void tamperedOrGarbageCookie_fallsBackToSchedulingSilently(String how) {
        DispatchEngine engine = engine(cookie());
        String pair = cookiePair(visit(engine, request("/").build()).setCookies().get(0));
        String value = pair.substring("SBSRV=".length());
        String bad = switch (how) {
            case "flip" -> value.substring(0, 10) + (value.charAt(10) == 'A' ? 'B' : 'A') + value.substring(11);
            case "truncate" -> value.substring(0, 26);
            case "extend" -> value + "A";
            case "garbage" -> "not-a-cookie-value-at-all!!";
            case "empty" -> "";
            case "quoted-garbage" -> "\"" + "%".repeat(27) + "\"";
            default -> "\u00e9".repeat(27);
        };
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            Result r = visit(engine, request("/").header("Cookie", "SBSRV=" + bad).build());
            servers.add(r.server());
            assertThat(r.setCookies()).as("a bad cookie is replaced by a good one").hasSize(1);
        }
        assertThat(servers).as("scheduled round robin, not pinned").hasSize(3);
    }

    @Test
    void idleTimeout_cookieReissuedAfterATenth_andExpiresWhenIdle() {
        DispatchEngine engine = engine(cookie());
        Result first = visit(engine, request("/").build());
        String pair = cookiePair(first.setCookies().get(0));
        now.addAndGet(Duration.ofMinutes(5).toNanos()); // 5 of 45 minutes used: more than a tenth
        Result refreshed = visit(engine, request("/").header("Cookie", pair).build());
        assertThat(refreshed.server()).isEqualTo(first.server());
        assertThat(refreshed.setCookies()).hasSize(1);
        String refreshedPair = cookiePair(refreshed.setCookies().get(0));
        assertThat(refreshedPair).isNotEqualTo(pair);
        now.addAndGet(Duration.ofMinutes(44).toNanos()); // the old cookie has expired, the refreshed one not
        assertThat(visit(engine, request("/").header("Cookie", refreshedPair).build()).server())
                .isEqualTo(first.server());
        assertThat(visit(engine, request("/").header("Cookie", pair).build()).setCookies()).hasSize(1);
    }

    @Test
    void sharedSecret_otherGatewayInstanceHonoursTheCookie_generatedSecretDoesNot() {
        DispatchEngine a = engine(cookie());
        DispatchEngine b = engine(cookie());
        Result first = visit(a, request("/").build());
        String pair = cookiePair(first.setCookies().get(0));
        for (int i = 0; i < 5; i++) {
            assertThat(visit(b, request("/").header("Cookie", pair).build()).server()).isEqualTo(first.server());
        }
        Persistence generated = Persistence.of(PersistenceMode.ACTIVE_COOKIE);
        DispatchEngine c = engine(generated);
        DispatchEngine d = engine(generated);
        String pairC = cookiePair(visit(c, request("/").build()).setCookies().get(0));
        assertThat(visit(d, request("/").header("Cookie", pairC).build()).setCookies())
                .as("another instance with its own generated secret treats the cookie as forged").hasSize(1);
    }

    @Test
    void drainingServer_keepsItsPersistentClients_andTakesNoNewOnes() {
        DispatchEngine engine = engine(cookie());
        Result first = visit(engine, request("/").build());
        String pair = cookiePair(first.setCookies().get(0));
        engine.setAdminState(first.server(), AdminState.DRAINING, Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            assertThat(visit(engine, request("/").header("Cookie", pair).build()).server()).isEqualTo(first.server());
        }
        for (int i = 0; i < 10; i++) {
            assertThat(visit(engine, request("/").build()).server()).isNotEqualTo(first.server());
        }
    }

    @Test
    void serverDown_persistentClientFailsOver_andTheCookieMovesWithIt() {
        DispatchEngine engine = engine(cookie());
        Result first = visit(engine, request("/").build());
        String pair = cookiePair(first.setCookies().get(0));
        engine.setHealth("mail", "owa", first.server(), Health.DOWN, "test");
        Result moved = visit(engine, request("/").header("Cookie", pair).build());
        assertThat(moved.server()).isNotEqualTo(first.server());
        assertThat(moved.setCookies()).hasSize(1);
        engine.setHealth("mail", "owa", first.server(), Health.UP, "test");
        String newPair = cookiePair(moved.setCookies().get(0));
        assertThat(visit(engine, request("/").header("Cookie", newPair).build()).server()).isEqualTo(moved.server());
    }

    @Test
    void oversizedAndMalformedCookieHeaders_meanNoKey_neverAnException() {
        DispatchEngine engine = engine(cookie());
        String many = "x=y; ".repeat(5_000) + "SBSRV=abc";
        String huge = "SBSRV=" + "A".repeat(100_000);
        for (String header : List.of(many, huge, ";;;;", "=====", "SBSRV", "SBSRV=", " ; SBSRV = ; ", "\u0000\u0001")) {
            Result r = visit(engine, request("/").header("Cookie", header).build());
            assertThat(r.setCookies()).hasSize(1);
        }
    }
}
