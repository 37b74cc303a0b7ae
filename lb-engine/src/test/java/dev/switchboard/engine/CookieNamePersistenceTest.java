package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.request;
import static dev.switchboard.engine.Responses.cookiePair;
import static dev.switchboard.engine.Responses.setCookies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The persistence cookie carries exactly the configured name whatever the number of sub-services: several
 * sub-services keep their pins as separate signed entries of one active cookie, and a learned server cookie is
 * looked for under its own name in each sub-service's table.
 */
class CookieNamePersistenceTest {

    private static final String ENTRY = "[A-Za-z0-9_-]{27}";

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private DispatchEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Virtual service "mail" with one sub-service per prefix ("/owa" -> "owa"), each on ex01..ex03. */
    private void engine(Persistence persistence, String... workloads) {
        VirtualService.Builder vs = VirtualService.builder("mail").scheduling(SchedulingMethod.ROUND_ROBIN)
                .persistence(persistence);
        for (String w : workloads) {
            SubService.Builder sub = SubService.builder(w).matchAny(ContentRule.pathPrefix("/" + w));
            for (int i = 1; i <= 3; i++) {
                sub.realServer(RealServer.of("ex0" + i, "10.0.0." + i + ":443"));
            }
            vs.subService(sub.build());
        }
        engine = DispatchEngine.builder(LoadBalancer.builder().virtualService(vs.build()).build()).ticker(now::get)
                .build();
    }

    private static Persistence activeCookie() {
        return Persistence.builder(PersistenceMode.ACTIVE_COOKIE).cookieName("SBSRV").timeout(Duration.ofMinutes(45))
                .cookieSecret("0123456789abcdef-shared").build();
    }

    private Result visit(String path, String cookieHeader) {
        return visit(path, cookieHeader, ResponseView.ofStatus(200));
    }

    private Result visit(String path, String cookieHeader, ResponseView response) {
        HttpRequest.Builder r = request(path + "/");
        if (cookieHeader != null) {
            r.header("Cookie", cookieHeader);
        }
        Decision.Forward f = forward(engine.dispatch("mail", r.build()));
        List<String> cookies = setCookies(f.onResponse(response));
        f.release(Outcome.ofStatus(200, 0));
        return new Result(f.target().server(), cookies);
    }

    private record Result(String server, List<String> setCookies) {
        String pair() {
            assertThat(setCookies).hasSize(1);
            return cookiePair(setCookies.get(0));
        }

        int entries() {
            return pair().substring("SBSRV=".length()).split("\\.", -1).length;
        }
    }

    @Test
    void activeCookie_oneSubService_carriesTheConfiguredNameExactly() {
        engine(activeCookie(), "owa");
        assertThat(visit("/owa", null).setCookies().get(0)).matches("SBSRV=" + ENTRY + "; Path=/; .*");
    }

    @Test
    void activeCookie_severalSubServices_carriesTheConfiguredNameExactly_andOneEntryPerSubService() {
        engine(activeCookie(), "owa", "ews");
        Result owa = visit("/owa", null);
        assertThat(owa.setCookies()).singleElement().asString().matches("SBSRV=" + ENTRY + "; Path=/; .*");
        Result ews = visit("/ews", owa.pair());
        assertThat(ews.setCookies()).singleElement().asString()
                .matches("SBSRV=" + ENTRY + "\\." + ENTRY + "; Path=/; .*");
        assertThat(ews.pair()).as("the new entry first, owa's entry kept after it")
                .endsWith("." + owa.pair().substring("SBSRV=".length()));
    }

    @Test
    void activeCookie_perSubServicePins_independentUnderOneCookie() {
        engine(activeCookie(), "owa", "ews");
        Result owa = visit("/owa", null);
        Result ews = visit("/ews", owa.pair());
        for (int attempt = 0; attempt < 3 && ews.server().equals(owa.server()); attempt++) {
            ews = visit("/ews", owa.pair()); // round robin moves on: pin ews elsewhere than owa
        }
        assertThat(ews.server()).isNotEqualTo(owa.server());
        String cookie = "theme=dark; " + ews.pair();
        for (int i = 0; i < 10; i++) {
            Result o = visit("/owa", cookie);
            Result e = visit("/ews", cookie);
            assertThat(o.server()).isEqualTo(owa.server());
            assertThat(e.server()).isEqualTo(ews.server());
            assertThat(o.setCookies()).as("fresh entries are not re-issued").isEmpty();
            assertThat(e.setCookies()).isEmpty();
        }
    }

    @Test
    void activeCookie_anEntryOfOneSubService_doesNotVerifyInAnother() {
        engine(activeCookie(), "owa", "ews");
        String owaPair = visit("/owa", null).pair();
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            Result r = visit("/ews", owaPair);
            servers.add(r.server());
            assertThat(r.entries()).as("ews adds its own entry, owa's stays").isEqualTo(2);
        }
        assertThat(servers).as("owa's entry does not pin ews: round robin").hasSize(3);
    }

    @Test
    void activeCookie_tamperedEntryOfOneSubService_leavesTheOtherPin_andIsReplaced() {
        engine(activeCookie(), "owa", "ews");
        Result owa = visit("/owa", null);
        Result ews = visit("/ews", owa.pair());
        String value = ews.pair().substring("SBSRV=".length()); // ews's entry, then owa's
        char c = value.charAt(28 + 5);
        String tampered = "SBSRV=" + value.substring(0, 33) + (c == 'A' ? 'B' : 'A') + value.substring(34);
        assertThat(visit("/ews", tampered).server()).isEqualTo(ews.server());
        Result again = visit("/owa", tampered);
        assertThat(again.pair()).as("owa's fresh entry first, ews's kept")
                .startsWith("SBSRV=").contains("." + value.substring(0, 27));
        for (int i = 0; i < 4; i++) {
            assertThat(visit("/owa", again.pair()).server()).isEqualTo(again.server());
            assertThat(visit("/ews", again.pair()).server()).isEqualTo(ews.server());
        }
    }

    @Test
    void activeCookie_boundedToEightEntries_theOldestDropped() {
        String[] workloads = {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"};
        engine(activeCookie(), workloads);
        String cookie = null;
        List<String> entries = new ArrayList<>();
        for (String w : workloads) {
            Result r = visit("/" + w, cookie);
            cookie = r.pair();
            entries.add(0, cookie.substring("SBSRV=".length(), "SBSRV=".length() + 27));
        }
        assertThat(cookie.length()).isEqualTo("SBSRV=".length() + 8 * 28 - 1);
        assertThat(cookie.substring("SBSRV=".length())).isEqualTo(String.join(".", entries.subList(0, 8)));
        Result s8 = visit("/s8", cookie);
        assertThat(s8.setCookies()).as("s8's own entry is first and fresh").isEmpty();
        now.addAndGet(Duration.ofSeconds(60).toNanos()); // s0's new entry differs from its old one
        Result s0 = visit("/s0", cookie);
        assertThat(s0.entries()).isEqualTo(8);
        assertThat(s0.pair()).as("s0 was dropped: a new entry; s1, now the oldest, is dropped in turn")
                .doesNotContain(entries.get(8)).doesNotContain(entries.get(7)).contains(entries.get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nine-entries", "trailing-dot", "double-dot", "short-second", "comma", "huge"})
    void activeCookie_malformedList_isIgnoredWhole_neverAnException(String how) {
        engine(activeCookie(), "owa", "ews");
        Result owa = visit("/owa", null);
        String e = owa.pair().substring("SBSRV=".length());
        String bad = switch (how) {
            case "nine-entries" -> String.join(".", java.util.Collections.nCopies(9, e));
            case "trailing-dot" -> e + ".";
            case "double-dot" -> e + ".." + e;
            case "short-second" -> e + "." + e.substring(1);
            case "comma" -> e + "," + e;
            default -> (e + ".").repeat(2_000) + e;
        };
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            Result r = visit("/owa", "SBSRV=" + bad);
            servers.add(r.server());
            assertThat(r.setCookies()).singleElement().asString().matches("SBSRV=" + ENTRY + "; .*");
        }
        assertThat(servers).as("not pinned by a malformed value: round robin").hasSize(3);
    }

    @Test
    void activeCookie_drainingServer_keepsItsCookieClients_andTakesNoNewOnes_withSeveralSubServices() {
        engine(activeCookie(), "owa", "ews");
        Result owa = visit("/owa", null);
        Result ews = visit("/ews", owa.pair());
        engine.setAdminState("mail", "owa", owa.server(), AdminState.DRAINING, Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            assertThat(visit("/owa", ews.pair()).server()).isEqualTo(owa.server());
        }
        for (int i = 0; i < 9; i++) {
            Result fresh = visit("/owa", i % 2 == 0 ? null : "SBSRV=" + "A".repeat(27));
            assertThat(fresh.server()).as("a new client never reaches the draining server")
                    .isNotEqualTo(owa.server());
        }
    }

    @Test
    void serverCookie_severalSubServices_learnsTheConfiguredNameExactly_perSubService() {
        engine(Persistence.builder(PersistenceMode.SERVER_COOKIE).cookieName("JSESSIONID").build(), "owa", "ews");
        Result login = visit("/owa", null, Responses.withSetCookies("JSESSIONID=abc123; Path=/; HttpOnly"));
        assertThat(login.setCookies()).as("the gateway sets no cookie of its own").isEmpty();
        for (int i = 0; i < 6; i++) {
            assertThat(visit("/owa", "JSESSIONID=abc123").server()).isEqualTo(login.server());
        }
        visit("/ews", null); // ews's round robin moves on: the session lands elsewhere there
        String ews = visit("/ews", "JSESSIONID=abc123").server();
        assertThat(ews).as("ews has its own table: owa's entry does not decide for it").isNotEqualTo(login.server());
        for (int i = 0; i < 6; i++) {
            assertThat(visit("/ews", "JSESSIONID=abc123").server()).isEqualTo(ews);
            assertThat(visit("/owa", "JSESSIONID=abc123").server()).isEqualTo(login.server());
        }
        Result renamed = visit("/owa", null, Responses.withSetCookies("JSESSIONID_owa=zzz; Path=/"));
        assertThat(renamed.setCookies()).isEmpty();
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            servers.add(visit("/owa", "JSESSIONID_owa=zzz").server());
        }
        assertThat(servers).as("only the configured name is learned: a renamed cookie pins nothing").hasSize(3);
    }
}
