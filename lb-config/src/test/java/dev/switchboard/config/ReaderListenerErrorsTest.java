package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.tls.testing.TestPki;
import dev.switchboard.api.SubService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Problems of listeners (TLS on both sides, admin) and of files with several problems; {@link ConfigCheck}. */
class ReaderListenerErrorsTest {

    @TempDir
    Path dir;

    /** One virtual service; {@code %1$s} is its protocol, {@code %2$s} adds keys to it. */
    private static final String ONE_SERVICE = """
            {"virtualServices": [{"name": "web", "listen": "127.0.0.1:8443", "protocol": "%1$s" %2$s,
              "subServices": [{"name": "pool", "default": true,
                               "realServers": [{"name": "a", "address": "127.0.0.1:9001"}]}]}]}
            """;

    private List<String> errors(String json) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> GatewayConfigReader.parse(json, dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.errors();
    }

    @Test
    void tlsOnHttp_parse_refused() {
        assertThat(errors(ONE_SERVICE.formatted("http", ", \"tls\": {\"certificate\": \"web.pem\"}"))).containsExactly(
                "virtualServices[0].tls: only allowed with \"protocol\": \"https\" (http has no TLS)"
                        + " (got {\"certificate\":\"web.pem\"})");
    }

    @Test
    void httpsWithoutTls_parse_missing() {
        assertThat(errors(ONE_SERVICE.formatted("https", ""))).containsExactly(
                "virtualServices[0].tls: missing, expected a tls object with the certificate: \"protocol\": \"https\""
                        + " terminates TLS (got nothing)");
    }

    @Test
    void unreadableCertificate_parse_namesResolvedFile() {
        assertThat(errors(ONE_SERVICE.formatted("https", ", \"tls\": {\"certificate\": \"web.pem\","
                + " \"privateKey\": \"web.key\"}"))).containsExactly(
                "virtualServices[0].tls.certificate: cannot read file " + dir.resolve("web.pem") + " (got \"web.pem\")",
                "virtualServices[0].tls.privateKey: cannot read file " + dir.resolve("web.key") + " (got \"web.key\")");
    }

    @Test
    void keyOfAnotherCertificate_parse_reportedAtPrivateKey() throws Exception {
        TestPki.selfSigned("a.example.test").writeCertificateAndKey(dir.resolve("a.pem"), dir.resolve("a.key"));
        TestPki.selfSigned("b.example.test").writeCertificateAndKey(dir.resolve("b.pem"), dir.resolve("b.key"));
        assertThat(errors(ONE_SERVICE.formatted("https", ", \"tls\": {\"certificate\": \"a.pem\","
                + " \"privateKey\": \"b.key\"}"))).singleElement().asString()
                .startsWith("virtualServices[0].tls.privateKey: the private key does not match")
                .endsWith("(got \"b.key\")");
    }

    @Test
    void notAPemFile_parse_reportedAtCertificate() throws Exception {
        Files.writeString(dir.resolve("web.pem"), "hello");
        assertThat(errors(ONE_SERVICE.formatted("https", ", \"tls\": {\"certificate\": \"web.pem\"}")))
                .singleElement().asString()
                .startsWith("virtualServices[0].tls.certificate: ")
                .contains(dir.resolve("web.pem").toString())
                .endsWith("(got \"web.pem\")");
    }

    @Test
    void invalidSniServerName_parse_mappedToSniEntry() throws Exception {
        TestPki.selfSigned("a.example.test").writeCertificateAndKey(dir.resolve("a.pem"), dir.resolve("a.key"));
        TestPki.selfSigned("b.example.test").writeCertificateAndKey(dir.resolve("b.pem"), dir.resolve("b.key"));
        assertThat(errors(ONE_SERVICE.formatted("https", ", \"tls\": {\"certificate\": \"a.pem\", \"privateKey\":"
                + " \"a.key\", \"sni\": [{\"serverName\": \"*.*.example.test\", \"certificate\": \"b.pem\","
                + " \"privateKey\": \"b.key\"}]}"))).containsExactly(
                "virtualServices[0].tls.sni[0].serverName: expected a DNS name or *.domain (got \"*.*.example.test\")");
    }

    @Test
    void secrets_inErrorLines_hidden() {
        String json = ONE_SERVICE.formatted("http", ", \"persistence\": {\"mode\": \"active-cookie\","
                + " \"cookieSecret\": \"short\"}").replaceFirst("\\{",
                "{\"admin\": {\"listen\": \"127.0.0.1:9000\", \"token\": 12345},");
        assertThat(errors(json)).containsExactly(
                "admin.token: expected a string (got a hidden value)",
                "virtualServices[0].persistence.cookieSecret: too short: 5 characters, expected at least 16, or empty"
                        + " to generate one (got a hidden value)");
    }

    @Test
    void upstreamTls_badTrustAndUnreadableCa_reported() {
        assertThat(errors(ONE_SERVICE.formatted("http", ", \"upstreamTls\": {\"trust\": \"everyone\"}")))
                .containsExactly("virtualServices[0].upstreamTls.trust: expected \"system\", \"insecure\" or"
                        + " {\"caCertificate\": FILE} (got \"everyone\")");
        assertThat(errors(ONE_SERVICE.formatted("http", ", \"upstreamTls\": {\"trust\": {\"caCertificate\":"
                + " \"ca.pem\"}}"))).containsExactly("virtualServices[0].upstreamTls.trust.caCertificate: cannot read"
                + " file " + dir.resolve("ca.pem") + " (got \"ca.pem\")");
    }

    @Test
    void upstreamTls_caCertificate_readAndInheritedByHttpsCheck() throws Exception {
        TestPki.ca("Test CA").writeCertificate(dir.resolve("ca.pem"));
        GatewayConfig config = GatewayConfigReader.parse(ONE_SERVICE.formatted("http",
                ", \"upstreamTls\": {\"trust\": {\"caCertificate\": \"ca.pem\"}}").replace("\"default\": true,",
                "\"default\": true, \"healthCheck\": {\"type\": \"https\", \"path\": \"/ping\"},"), dir);
        assertThat(config.listeners().get(0).findUpstreamTls().orElseThrow().trustedCertificates()).hasSize(1);
        assertThat(checked(config).get(0).findHealthCheck().orElseThrow().trustedCaFile()).isEqualTo(dir.resolve("ca.pem").toString());
    }

    @Test
    void adminOnNonLoopbackWithoutToken_parse_refused() {
        String json = ONE_SERVICE.formatted("http", "")
                .replaceFirst("\\{", "{\"admin\": {\"listen\": \"0.0.0.0:9000\"},");
        assertThat(errors(json)).containsExactly("admin.token: missing, expected a token: the gateway refuses to start"
                + " an admin listener on a non-loopback address (0.0.0.0:9000) without one (got nothing)");
        GatewayConfig withToken = GatewayConfigReader.parse(json.replace("9000\"", "9000\", \"token\": \"s3cret\""),
                dir);
        assertThat(withToken.admin().requiresToken()).isTrue();
        GatewayConfig loopback = GatewayConfigReader.parse(json.replace("0.0.0.0", "[::1]"), dir);
        assertThat(loopback.admin().requiresToken()).isFalse();
    }

    @Test
    void severalProblems_parse_readerProblemsThenModelViolationsAllReported() {
        String json = """
                {"admin": {"listen": "10.0.0.1:9000"},
                 "virtualServices": [
                  {"name": "web", "listen": "127.0.0.1:8080", "protocol": "htp", "schedulng": "random",
                   "subServices": [{"name": "pool", "default": true,
                     "realServers": [{"name": "a", "address": "nowhere", "weight": 70000},
                                     {"name": "a", "address": "127.0.0.1:9002"}]}]},
                  {"name": "bad name", "listen": "127.0.0.1:8081", "protocol": "http", "slowStart": "-1s",
                   "redirect": {"status": 200}}]}
                """;
        assertThat(errors(json)).containsExactly(
                "admin.token: missing, expected a token: the gateway refuses to start an admin listener on a"
                        + " non-loopback address (10.0.0.1:9000) without one (got nothing)",
                "virtualServices[0].schedulng: unknown key (got \"random\")",
                "virtualServices[0].protocol: expected one of http, https, tcp (got \"htp\")",
                "virtualServices[0].subServices[0].realServers[0].address: bad address, expected host:port or"
                        + " [ipv6]:port with a port 1..65535 (got \"nowhere\")",
                "virtualServices[1].slowStart: bad duration: negative, expected " + Durations.EXPECTED
                        + " (got \"-1s\")",
                "virtualServices[0].subServices[0].realServers[0].weight: expected 0..65535 (got 70000)",
                "virtualServices[0].subServices[0].realServers[1].name: 'a' is used twice in this pool (got \"a\")",
                "virtualServices[1].name: expected 1..64 of A-Z a-z 0-9 . _ - (got \"bad name\")",
                "virtualServices[1].redirect.status: expected 301, 302, 303, 307 or 308 (got 200)");
    }

    @Test
    void check_validFile_exitZeroAndCount() throws Exception {
        Path file = Files.writeString(dir.resolve("ok.json"), ONE_SERVICE.formatted("http", ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(ConfigCheck.check(file, print(out), print(err))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ok: 1 virtual service" + System.lineSeparator());
        assertThat(err.size()).isZero();
    }

    @Test
    void check_invalidFile_exitTwoAndEveryLineOnErr() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.json"), ONE_SERVICE.formatted("htp", ", \"x\": 1"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(ConfigCheck.check(file, print(out), print(err))).isEqualTo(2);
        assertThat(out.size()).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "virtualServices[0].x: unknown key (got 1)",
                "virtualServices[0].protocol: expected one of http, https, tcp (got \"htp\")");
    }

    @Test
    void check_missingFile_exitTwoNamingFile() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path file = dir.resolve("absent.json");
        assertThat(ConfigCheck.check(file, print(new ByteArrayOutputStream()), print(err))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(file + ": cannot read the configuration file");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    /** The sub-services of the model that have a health check, in model order. */
    private static List<SubService> checked(GatewayConfig config) {
        return config.loadBalancer().virtualServices().stream().flatMap(v -> v.subServices().stream())
                .filter(s -> s.findHealthCheck().isPresent()).toList();
    }
}
