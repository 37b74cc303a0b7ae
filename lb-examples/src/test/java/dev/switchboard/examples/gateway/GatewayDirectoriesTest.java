package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.radius.testing.TestRadiusServer;
import dev.switchboard.tls.testing.TestPki;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's directory as its file configures it, against real servers on loopback: RADIUS (TinyRadius, another
 * implementation) behind {@code "auth": "basic"}, LDAP over StartTLS trusting a PEM CA made here, and a reload that
 * swaps LDAP for RADIUS (the authenticator is rebuilt: the next check goes to the RADIUS server).
 */
class GatewayDirectoriesTest {

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MockWebServer exchange = new MockWebServer();
    private Gateway gateway;

    @BeforeEach
    void backend() throws Exception {
        exchange.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                return new MockResponse.Builder().code(200).body("user=" + r.getHeaders().get("X-Authenticated-User")
                        + " auth=" + r.getHeaders().get("Authorization")).build();
            }
        });
        exchange.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        exchange.close();
    }

    /** One virtual service "eas" with Basic, checked against {@code directory} (the keys inside authentication). */
    private String json(String directory) {
        return """
                { "authentication": { "realm": "mail", %s },
                  "virtualServices": [ { "name": "eas", "listen": "127.0.0.1:0", "protocol": "http", "accessLog": false,
                    "auth": "basic", "subServices": [ { "name": "eas", "default": true,
                      "realServers": [ { "name": "ex01", "address": "127.0.0.1:%d" } ] } ] } ] }
                """.formatted(directory, exchange.getPort());
    }

    private static String radius(TestRadiusServer server) {
        return "\"radius\": { \"address\": \"" + server.address() + "\", \"secret\": \"" + TestRadiusServer.SECRET
                + "\", \"timeout\": \"2s\", \"nasIdentifier\": \"gw-test\" }";
    }

    private HttpResponse<String> basic(String user, String password) throws Exception {
        String value = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + Gateway.hostPort(gateway.address("eas"))
                + "/Microsoft-Server-ActiveSync")).header("Authorization", "Basic " + value)
                .timeout(Duration.ofSeconds(10)).build();
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void radius_rightPasswordPasses_wrongPasswordIsChallenged() throws Exception {
        try (TestRadiusServer radius = new TestRadiusServer()) {
            gateway = Gateway.start(GatewayConfigReader.parse(json(radius(radius)), dir));

            HttpResponse<String> ok = basic("alice", TestRadiusServer.USERS.get("alice"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("user=alice auth=null");
            assertThat(radius.requests()).isEqualTo(1);

            HttpResponse<String> wrong = basic("bob", "not-bobs-password");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"mail\","
                    + " charset=\"UTF-8\"");
            assertThat(radius.requests()).as("the wrong password went to the RADIUS server").isEqualTo(2);
            assertThat(exchange.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void ldapStartTls_trustingAPemCaFromTheFile_passes_andWithoutThatTrustIsUnavailable() throws Exception {
        TestPki.Issued ca = TestPki.ca("Gateway Test LDAP CA");
        ca.writeCertificate(dir.resolve("ldap-ca.pem"));
        try (MailDirectory ldap = new MailDirectory(TestPki.serverContext(TestPki.leaf(ca, "localhost"), ca))) {
            String url = "ldap://localhost:" + ldap.port();
            gateway = Gateway.start(GatewayConfigReader.parse(json("\"ldap\": { \"url\": \"" + url
                    + "\", \"userDnPattern\": \"" + MailDirectory.DN_PATTERN + "\", \"startTls\": true,"
                    + " \"trust\": { \"caCertificate\": \"ldap-ca.pem\" }, \"responseTimeout\": \"3s\" }"), dir));
            HttpResponse<String> ok = basic("bob", "bob-secret");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("user=bob auth=null");
            assertThat(ldap.binds()).isEqualTo(1);
            assertThat(basic("alice", "wrong").statusCode()).isEqualTo(401);

            gateway.reload(GatewayConfigReader.parse(json("\"ldap\": { \"url\": \"" + url + "\", \"userDnPattern\": \""
                    + MailDirectory.DN_PATTERN + "\", \"startTls\": true, \"trust\": \"system\","
                    + " \"responseTimeout\": \"3s\" }"), dir));
            HttpResponse<String> untrusted = basic("alice", "alice-secret");
            assertThat(untrusted.statusCode()).as("the test CA is not a system root: TLS fails").isEqualTo(503);
            assertThat(untrusted.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(ldap.binds()).as("no bind over an untrusted connection").isEqualTo(2);
        }
    }

    @Test
    void reload_fromLdapToRadius_rebuildsTheAuthenticator() throws Exception {
        try (MailDirectory ldap = new MailDirectory(); TestRadiusServer radius = new TestRadiusServer()) {
            gateway = Gateway.start(GatewayConfigReader.parse(json("\"ldap\": { \"url\": \"" + ldap.url()
                    + "\", \"userDnPattern\": \"" + MailDirectory.DN_PATTERN + "\" }"), dir));
            assertThat(basic("bob", "bob-secret").statusCode()).isEqualTo(200);
            assertThat(ldap.binds()).isEqualTo(1);

            gateway.reload(GatewayConfigReader.parse(json(radius(radius)), dir));
            assertThat(basic("bob", "bob-secret").statusCode()).isEqualTo(200);
            assertThat(radius.requests()).as("checked by RADIUS now, not from the old cache").isEqualTo(1);
            assertThat(basic("alice", "wrong").statusCode()).isEqualTo(401);
            assertThat(radius.requests()).isEqualTo(2);
            assertThat(ldap.binds()).as("LDAP is no longer asked").isEqualTo(1);
        }
    }
}
