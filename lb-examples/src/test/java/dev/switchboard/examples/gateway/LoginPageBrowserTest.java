package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.examples.gateway.admin.WebDriver;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's login in a real headless Chromium against a real LDAP server: a protected page sends the browser to
 * the login form, the form (no script of its own) posts and comes back to the page as the user, a second virtual
 * service of the same SSO cookie serves the browser without a new login, logout ends the session. The SSO cookie
 * has no {@code Domain} here (the browser talks to 127.0.0.1, whose ports share cookies). Skipped when chromium or
 * chromedriver is not installed ({@code .ci/chromium-setup} installs them).
 */
class LoginPageBrowserTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final MockWebServer exchange = new MockWebServer();
    private MailDirectory directory;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        exchange.close();
        if (directory != null) {
            directory.close();
        }
    }

    private void start() throws Exception {
        directory = new MailDirectory();
        exchange.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain")
                        .body("user=" + r.getHeaders().get("X-Authenticated-User") + " path=" + r.getTarget())
                        .build();
            }
        });
        exchange.start(InetAddress.getLoopbackAddress(), 0);
        String server = "[ { \"name\": \"ex01\", \"address\": \"127.0.0.1:" + exchange.getPort() + "\" } ]";
        gateway = Gateway.start(GatewayConfigReader.parse("""
                { "authentication": { "realm": "Example Mail",
                    "ldap": { "url": "%s", "userDnPattern": "%s" },
                    "sso": { "secret": "0123456789abcdef0123456789abcdef-browser" } },
                  "virtualServices": [
                    { "name": "owa", "listen": "127.0.0.1:0", "protocol": "http", "auth": "form",
                      "subServices": [ { "name": "owa", "default": true, "realServers": %s } ] },
                    { "name": "portal", "listen": "127.0.0.1:0", "protocol": "http", "auth": "form",
                      "subServices": [ { "name": "web", "default": true, "realServers": %s } ] } ] }
                """.formatted(directory.url(), MailDirectory.DN_PATTERN, server, server), dir));
    }

    private String url(String vs, String path) {
        return "http://" + Gateway.hostPort(gateway.address(vs)) + path;
    }

    @Test
    @Timeout(120)
    void login_sso_logout() throws Exception {
        List<String> installed = WebDriver.findInstalled().orElse(List.of());
        assumeTrue(!installed.isEmpty(), "chromium and chromedriver are not installed (run .ci/chromium-setup);"
                + " skipping the browser test");
        start();
        try (WebDriver browser = startOrSkip(installed)) {
            browser.open(url("owa", "/owa/inbox?folder=1"));
            assertThat(browser.script("return location.pathname;").asText()).isEqualTo("/.switchboard/login");
            assertThat(browser.script("return document.title;").asText()).isEqualTo("Sign in");
            assertThat(browser.script("return document.querySelector('h1').textContent;").asText())
                    .isEqualTo("Sign in to Example Mail");
            browser.script("document.getElementById('username').value = arguments[0];"
                    + " document.getElementById('password').value = arguments[1];", "alice", "alice-secret");
            browser.click(new WebDriver.By("button[type=submit]"));
            assertThat(browser.poll("return document.body.innerText;", v -> v.asText().startsWith("user="), LIMIT)
                    .asText()).isEqualTo("user=alice path=/owa/inbox?folder=1");
            assertThat(browser.script("return location.pathname + location.search;").asText())
                    .isEqualTo("/owa/inbox?folder=1");
            assertThat(directory.binds()).isEqualTo(1);

            browser.open(url("portal", "/home"));
            assertThat(browser.script("return document.body.innerText;").asText())
                    .as("the second virtual service, no new login").isEqualTo("user=alice path=/home");
            assertThat(directory.binds()).isEqualTo(1);

            browser.open(url("owa", "/.switchboard/logout"));
            assertThat(browser.script("return document.querySelector('h1').textContent;").asText())
                    .isEqualTo("Signed out");
            browser.open(url("portal", "/home"));
            assertThat(browser.script("return location.pathname;").asText()).as("logged out everywhere")
                    .isEqualTo("/.switchboard/login");
            assertThat(browser.alertOpen()).isFalse();
        }
    }

    private static WebDriver startOrSkip(List<String> installed) {
        try {
            return WebDriver.start(installed.get(0), installed.get(1));
        } catch (IOException e) {
            assumeTrue(false, "chromium did not start through " + installed.get(0) + ": " + e.getMessage());
            throw new AssertionError(e);
        }
    }
}
