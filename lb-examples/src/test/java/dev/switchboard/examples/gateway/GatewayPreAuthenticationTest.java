package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.GatewayConfigReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edge pre-authentication in the reference gateway against a real LDAP server (UnboundID in-memory, loopback):
 * the form login through the login page (CSRF, 303 with the SSO cookie, the protected page served as the user),
 * the cookie accepted by a second virtual service of the same SSO domain without a new login, logout, a forged
 * CSRF token, a {@code next} pointing elsewhere, a wrong password, and ActiveSync-style Basic on every request
 * (binds per 1,000 requests counted at the directory).
 */
class GatewayPreAuthenticationTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String SECRET = "0123456789abcdef0123456789abcdef-gateway-auth";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MockWebServer exchange = new MockWebServer();
    private MailDirectory directory;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        directory = new MailDirectory();
        exchange.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                return new MockResponse.Builder().code(200).body("user=" + r.getHeaders().get("X-Authenticated-User")
                        + " cookie=" + r.getHeaders().get("Cookie") + " auth=" + r.getHeaders().get("Authorization")
                        + " path=" + r.getTarget()).build();
            }
        });
        exchange.start(InetAddress.getLoopbackAddress(), 0);
        gateway = Gateway.start(GatewayConfigReader.parse(json(directory.url()), dir));
    }

    /** Three virtual services on the directory at {@code ldapUrl}: owa (form), portal (form), eas (basic). */
    private String json(String ldapUrl) {
        String server = "[ { \"name\": \"ex01\", \"address\": \"127.0.0.1:" + exchange.getPort() + "\" } ]";
        return """
                { "authentication": { "realm": "mail",
                    "ldap": { "url": "%s", "userDnPattern": "%s" },
                    "sso": { "cookieName": "SBSSO", "domain": "example.test", "secret": "%s" } },
                  "virtualServices": [
                    { "name": "owa", "listen": "127.0.0.1:0", "protocol": "http", "accessLog": false,
                      "auth": "form", "authExempt": ["/owa/auth/"],
                      "subServices": [ { "name": "owa", "default": true, "realServers": %s } ] },
                    { "name": "portal", "listen": "127.0.0.1:0", "protocol": "http", "accessLog": false,
                      "auth": "form", "subServices": [ { "name": "web", "default": true, "realServers": %s } ] },
                    { "name": "eas", "listen": "127.0.0.1:0", "protocol": "http", "accessLog": false,
                      "auth": "basic", "subServices": [ { "name": "eas", "default": true, "realServers": %s } ] }
                  ] }
                """.formatted(ldapUrl, MailDirectory.DN_PATTERN, SECRET, server, server, server);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        exchange.close();
        directory.close();
    }

    private URI uri(String vs, String path) {
        return URI.create("http://" + Gateway.hostPort(gateway.address(vs)) + path);
    }

    private HttpResponse<String> get(String vs, String path, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(vs, path)).timeout(Duration.ofSeconds(10));
        if (!cookie.isEmpty()) {
            r.header("Cookie", cookie);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postLogin(String vs, String csrfCookie, String csrf, String user, String password,
            String next) throws Exception {
        String form = "username=" + enc(user) + "&password=" + enc(password) + "&csrf=" + enc(csrf) + "&next="
                + enc(next);
        HttpRequest r = HttpRequest.newBuilder(uri(vs, "/.switchboard/login")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", csrfCookie)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The {@code name=value} of the cookie {@code name} set by {@code response}. */
    private static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie set: " + response.headers()));
    }

    /** GETs the login form: its CSRF cookie and token. */
    private String[] loginForm(String vs, String next) throws Exception {
        HttpResponse<String> form = get(vs, "/.switchboard/login?next=" + enc(next), "");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(form.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(form.body()).contains("<label for=\"username\">", "<label for=\"password\">")
                .doesNotContain("<script");
        Matcher m = CSRF.matcher(form.body());
        assertThat(m.find()).as("a CSRF token in the form").isTrue();
        return new String[] {cookie(form, "SBCSRF"), m.group(1)};
    }

    @Test
    void formLogin_cookie_secondVirtualService_logout() throws Exception {
        HttpResponse<String> challenged = get("owa", "/owa/inbox?folder=1", "");
        assertThat(challenged.statusCode()).isEqualTo(302);
        assertThat(challenged.headers().firstValue("Location"))
                .hasValue("/.switchboard/login?next=%2Fowa%2Finbox%3Ffolder%3D1");
        String[] csrf = loginForm("owa", "/owa/inbox?folder=1");
        HttpResponse<String> login = postLogin("owa", csrf[0], csrf[1], "alice", "alice-secret",
                "/owa/inbox?folder=1");
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/owa/inbox?folder=1");
        String sso = cookie(login, "SBSSO");
        assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("SBSSO=")
                .contains("Domain=example.test", "HttpOnly"));
        int binds = directory.binds();
        assertThat(binds).isEqualTo(1);

        HttpResponse<String> inbox = get("owa", "/owa/inbox?folder=1", sso + "; theme=dark");
        assertThat(inbox.statusCode()).isEqualTo(200);
        assertThat(inbox.body()).isEqualTo("user=alice cookie=theme=dark auth=null path=/owa/inbox?folder=1");
        HttpResponse<String> portal = get("portal", "/home", sso);
        assertThat(portal.statusCode()).as("the second virtual service takes the cookie").isEqualTo(200);
        assertThat(portal.body()).startsWith("user=alice cookie=null");
        assertThat(directory.binds()).as("no new login").isEqualTo(binds);

        HttpResponse<String> logout = get("owa", "/.switchboard/logout", sso);
        assertThat(logout.statusCode()).isEqualTo(200);
        assertThat(logout.body()).contains("signed out");
        assertThat(logout.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("SBSSO=;")
                .contains("Max-Age=0"));
        assertThat(get("owa", "/owa/inbox", "").statusCode()).as("without the cookie").isEqualTo(302);
    }

    /** Logs alice in on {@code vs} through the form; her SSO cookie as {@code SBSSO=value}. */
    private String login(String vs) throws Exception {
        String[] csrf = loginForm(vs, "/");
        HttpResponse<String> login = postLogin(vs, csrf[0], csrf[1], "alice", "alice-secret", "/");
        assertThat(login.statusCode()).isEqualTo(303);
        return cookie(login, "SBSSO");
    }

    @Test
    void logout_revokesTheSession_aCopiedCookieIsRefusedOnEveryVirtualService_untilAFreshLogin() throws Exception {
        String copied = login("owa");
        String other = login("portal"); // a second session of the same user (another browser)
        assertThat(get("portal", "/home", copied).statusCode()).isEqualTo(200);

        HttpResponse<String> logout = get("owa", "/.switchboard/logout", copied);
        assertThat(logout.statusCode()).isEqualTo(200);

        for (String vs : new String[] {"owa", "portal"}) {
            HttpResponse<String> replayed = get(vs, "/home", copied);
            assertThat(replayed.statusCode()).as("the copy on %s", vs).isEqualTo(302);
            assertThat(replayed.headers().firstValue("Location")).hasValue("/.switchboard/login?next=%2Fhome");
            assertThat(get(vs, "/home", other).statusCode()).as("another session on %s", vs).isEqualTo(200);
        }
        String fresh = login("owa");
        assertThat(get("portal", "/home", fresh).body()).startsWith("user=alice");
    }

    @Test
    void exemptPath_isServedWithoutLogin() throws Exception {
        HttpResponse<String> r = get("owa", "/owa/auth/logon.aspx", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("user=null");
    }

    @Test
    void wrongCsrf_isRefusedWithAFreshForm_andTheDirectoryIsNotAsked() throws Exception {
        String[] csrf = loginForm("owa", "/owa/");
        HttpResponse<String> forged = postLogin("owa", csrf[0], "forged-token", "alice", "alice-secret", "/owa/");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("Please sign in again", "name=\"csrf\"");
        assertThat(forged.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("SBSSO="));
        HttpResponse<String> noCookie = postLogin("owa", "other=1", csrf[1], "alice", "alice-secret", "/owa/");
        assertThat(noCookie.statusCode()).isEqualTo(403);
        assertThat(directory.binds()).isZero();
    }

    @Test
    void nextPointingElsewhere_goesToTheRoot() throws Exception {
        String[] csrf = loginForm("owa", "https://evil.example/");
        HttpResponse<String> login = postLogin("owa", csrf[0], csrf[1], "alice", "alice-secret",
                "//evil.example/phish");
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/");
    }

    @Test
    void wrongPassword_showsTheFormAgainWithAMessage() throws Exception {
        String[] csrf = loginForm("owa", "/owa/");
        HttpResponse<String> login = postLogin("owa", csrf[0], csrf[1], "alice", "wrong", "/owa/");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("role=\"alert\"", "not right", "name=\"csrf\"");
        assertThat(login.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("SBSSO="));
        assertThat(directory.binds()).isEqualTo(1);
    }

    @Test
    void oversizedLoginForm_is413() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(uri("owa", "/.switchboard/login")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + "a".repeat(10_000))).build();
        assertThat(client.send(r, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
    }

    @Test
    void reload_toAnotherDirectory_checksThere() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("bob:bob-secret".getBytes(StandardCharsets.UTF_8));
        try (MailDirectory second = new MailDirectory()) {
            gateway.reload(GatewayConfigReader.parse(json(second.url()), dir));
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("eas", "/Microsoft-Server-ActiveSync"))
                    .header("Authorization", basic).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(second.binds()).isEqualTo(1);
            assertThat(directory.binds()).isZero();
        }
    }

    @Test
    void basicClientReturningTheSsoCookie_isNotCheckedAgain_andGetsNoNewCookie() throws Exception {
        HttpResponse<String> first = client.send(HttpRequest.newBuilder(uri("eas", "/Microsoft-Server-ActiveSync"))
                .header("Authorization", basic("bob", "bob-secret")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        String sso = cookie(first, "SBSSO");
        // the cookie is valid: the Basic header (a wrong password here) is not checked, no new cookie is sent
        HttpResponse<String> next = client.send(HttpRequest.newBuilder(uri("eas", "/Microsoft-Server-ActiveSync"))
                .header("Authorization", basic("bob", "stale-password")).header("Cookie", sso)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).startsWith("user=bob cookie=null auth=null");
        assertThat(next.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(directory.binds()).isEqualTo(1);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void activeSyncBasic_onEveryRequest_bindsOncePerThousandRequests() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("bob:bob-secret".getBytes(StandardCharsets.UTF_8));
        assertThat(get("eas", "/Microsoft-Server-ActiveSync", "").statusCode()).isEqualTo(401);
        int before = directory.binds();
        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("eas",
                    "/Microsoft-Server-ActiveSync?Cmd=Ping&i=" + i)).header("Authorization", basic)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("user=bob cookie=null auth=null");
        }
        int binds = directory.binds() - before;
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.println("ActiveSync-style Basic: " + binds + " LDAP binds per 1,000 requests in " + seconds + " s");
        // one bind per cache period (2 minutes): a loaded machine may take longer than one period for the 1,000
        assertThat(binds).isBetween(1, 1 + (int) (seconds / 120));
    }
}
