package dev.switchboard.examples.gateway;

import dev.switchboard.examples.testing.LoopbackPorts;
import dev.switchboard.netty.testing.RawClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.tls.testing.TestPki;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload applies in place: a kept https listener presents its new certificates to new handshakes while open
 * connections and persistence pins stay; a certificate that cannot be loaded refuses the whole reload; other
 * listener settings apply to the next request.
 */
class GatewayTlsReloadTest {

    private static final Pattern COOKIE = Pattern.compile("(?i)set-cookie: (SBSRV=[^;\r\n]*)");
    private static final Pattern SERVED_BY = Pattern.compile("(?i)x-served-by: (\\S+)");

    private static TestPki.Issued ca;

    @TempDir
    Path dir;

    private final TestFleet fleet = new TestFleet("ex01", "ex02");
    private Gateway gateway;

    @BeforeAll
    static void authority() {
        ca = TestPki.ca("Reload Test CA");
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(Duration.ofSeconds(1)).join();
        }
        fleet.close();
    }

    private String httpsConfig() {
        return httpsConfig(0, "");
    }

    /** The https virtual service on {@code port}; {@code tlsKeys} adds keys to its {@code tls} object. */
    private String httpsConfig(int port, String tlsKeys) {
        return """
                { "admin": { "listen": "127.0.0.1:0" },
                  "virtualServices": [ { "name": "mail", "listen": "127.0.0.1:%d", "protocol": "https",
                    "tls": { "certificate": "mail.pem", "privateKey": "mail.key" %s,
                             "sni": [ { "serverName": "owa.example.test", "certificate": "owa.pem",
                                        "privateKey": "owa.key" } ] },
                    "scheduling": "round-robin", "accessLog": false,
                    "persistence": { "mode": "active-cookie", "cookieName": "SBSRV", "timeout": "45m" },
                    "subServices": [ { "name": "pool", "default": true, "realServers": [
                      { "name": "ex01", "address": "%s" }, { "name": "ex02", "address": "%s" } ] } ] } ] }
                """.formatted(port, tlsKeys, fleet.address("ex01"), fleet.address("ex02"));
    }

    /** New leaf certificates (new keys, new serials) for both names, written over the configured files. */
    private TestPki.Issued[] issueCertificates() {
        TestPki.Issued mail = TestPki.leaf(ca, "mail.example.test")
                .writeCertificateAndKey(dir.resolve("mail.pem"), dir.resolve("mail.key"));
        TestPki.Issued owa = TestPki.leaf(ca, "owa.example.test")
                .writeCertificateAndKey(dir.resolve("owa.pem"), dir.resolve("owa.key"));
        return new TestPki.Issued[] {mail, owa};
    }

    /** A new TLS connection (a fresh client context each time, so that no session is resumed). */
    private RawClient connect(String sni) throws IOException {
        return connect(sni, "TLS");
    }

    /** A new TLS connection with a client that speaks {@code protocol} ({@code TLS}: 1.3 and 1.2). */
    private RawClient connect(String sni, String protocol) throws IOException {
        SSLSocket socket = (SSLSocket) TestPki.clientContext(ca, protocol).getSocketFactory()
                .createSocket("127.0.0.1", gateway.address("mail").getPort());
        SSLParameters p = socket.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(sni)));
        socket.setSSLParameters(p);
        socket.startHandshake();
        return new RawClient(socket);
    }

    private static BigInteger serial(RawClient c) throws IOException {
        return ((X509Certificate) ((SSLSocket) c.socket).getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    private BigInteger servedSerial(String sni) throws IOException {
        try (RawClient c = connect(sni)) {
            return serial(c);
        }
    }

    private static String find(Pattern pattern, String response) {
        Matcher m = pattern.matcher(response);
        assertThat(m.find()).as("%s in %s", pattern, response).isTrue();
        return m.group(1);
    }

    private static String get(RawClient c, String cookie) {
        String response = c.send("GET /owa/ HTTP/1.1\r\nHost: mail.example.test\r\n"
                + (cookie.isEmpty() ? "" : "Cookie: " + cookie + "\r\n") + "\r\n").readResponse();
        assertThat(RawClient.status(response)).as(response).isEqualTo(200);
        return response;
    }

    private HttpResponse<String> reload() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                        + Gateway.hostPort(gateway.findAdminAddress().orElseThrow()) + "/api/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reload_replacedCertificates_newHandshakesSeeThem_openConnectionsAndPinsKept() throws Exception {
        TestPki.Issued[] first = issueCertificates();
        Path file = Files.writeString(dir.resolve("gateway.json"), httpsConfig());
        gateway = Gateway.start(GatewayConfigReader.read(file), file);
        try (RawClient open = connect("mail.example.test")) {
            assertThat(serial(open)).isEqualTo(first[0].certificate().getSerialNumber());
            assertThat(servedSerial("owa.example.test")).isEqualTo(first[1].certificate().getSerialNumber());
            String pinned = get(open, "");
            String cookie = find(COOKIE, pinned);
            String server = find(SERVED_BY, pinned);

            TestPki.Issued[] second = issueCertificates();
            HttpResponse<String> reloaded = reload();
            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);

            assertThat(servedSerial("mail.example.test")).isEqualTo(second[0].certificate().getSerialNumber());
            assertThat(servedSerial("owa.example.test")).isEqualTo(second[1].certificate().getSerialNumber());
            assertThat(serial(open)).isEqualTo(first[0].certificate().getSerialNumber());
            assertThat(find(SERVED_BY, get(open, cookie))).isEqualTo(server); // the open connection still serves
            for (int i = 0; i < 4; i++) { // round-robin would alternate without the pin
                try (RawClient fresh = connect("mail.example.test")) {
                    assertThat(find(SERVED_BY, get(fresh, cookie))).isEqualTo(server);
                }
            }
        }
    }

    @Test
    void reload_unloadableCertificate_refusedNamingTheFile_oldCertificateStillServed() throws Exception {
        TestPki.Issued[] first = issueCertificates();
        Path file = Files.writeString(dir.resolve("gateway.json"), httpsConfig());
        gateway = Gateway.start(GatewayConfigReader.read(file), file);
        String cookie;
        String server;
        try (RawClient c = connect("mail.example.test")) {
            String pinned = get(c, "");
            cookie = find(COOKIE, pinned);
            server = find(SERVED_BY, pinned);
        }

        Files.writeString(dir.resolve("mail.pem"), "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
        HttpResponse<String> refused = reload();

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("virtualServices[0].tls.certificate")
                .contains(dir.resolve("mail.pem").toString());
        assertThat(servedSerial("mail.example.test")).isEqualTo(first[0].certificate().getSerialNumber());
        assertThat(servedSerial("owa.example.test")).isEqualTo(first[1].certificate().getSerialNumber());
        for (int i = 0; i < 2; i++) {
            try (RawClient c = connect("mail.example.test")) {
                assertThat(find(SERVED_BY, get(c, cookie))).isEqualTo(server);
            }
        }
    }

    @Test
    void reload_tlsProtocolsChanged_listenerReboundOnItsPort_newHandshakesFollow_pinsKept() throws Exception {
        issueCertificates();
        int port = LoopbackPorts.pick();
        Path file = Files.writeString(dir.resolve("gateway.json"),
                httpsConfig(port, ", \"protocols\": [\"TLSv1.3\", \"TLSv1.2\"]"));
        gateway = Gateway.start(GatewayConfigReader.read(file), file);
        String cookie;
        String server;
        try (RawClient old = connect("mail.example.test", "TLSv1.2")) {
            String pinned = get(old, "");
            cookie = find(COOKIE, pinned);
            server = find(SERVED_BY, pinned);
        }

        Files.writeString(file, httpsConfig(port, ", \"protocols\": [\"TLSv1.3\"]"));
        HttpResponse<String> reloaded = reload();
        assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);

        assertThat(gateway.address("mail").getPort()).isEqualTo(port);
        assertThatThrownBy(() -> connect("mail.example.test", "TLSv1.2").close()).isInstanceOf(SSLException.class);
        for (int i = 0; i < 4; i++) {
            try (RawClient fresh = connect("mail.example.test")) {
                assertThat(((SSLSocket) fresh.socket).getSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(find(SERVED_BY, get(fresh, cookie))).isEqualTo(server);
            }
        }
    }

    @Test
    void reload_forwardedHeadersSwitchedOff_appliesToTheNextRequestOnTheKeptListener() throws Exception {
        String config = """
                { "admin": { "listen": "127.0.0.1:0" },
                  "virtualServices": [ { "name": "app", "listen": "127.0.0.1:0", "protocol": "http",
                    "accessLog": false, "forwardedHeaders": %s,
                    "subServices": [ { "name": "pool", "default": true,
                      "realServers": [ { "name": "ex01", "address": "%s" } ] } ] } ] }
                """;
        Path file = Files.writeString(dir.resolve("gateway.json"), config.formatted("true", fleet.address("ex01")));
        gateway = Gateway.start(GatewayConfigReader.read(file), file);
        int port = gateway.address("app").getPort();
        try (RawClient before = RawClient.connect(port)) {
            assertThat(before.send("GET /a HTTP/1.1\r\nHost: app\r\n\r\n").readResponse()).endsWith("xff=127.0.0.1");
        }

        Files.writeString(file, config.formatted("false", fleet.address("ex01")));
        assertThat(reload().statusCode()).isEqualTo(200);

        assertThat(gateway.address("app").getPort()).isEqualTo(port);
        try (RawClient after = RawClient.connect(port)) {
            assertThat(after.send("GET /b HTTP/1.1\r\nHost: app\r\n\r\n").readResponse()).endsWith("xff=null");
        }
    }
}
