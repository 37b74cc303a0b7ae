package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Address;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.Violation;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.tls.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsHealthCheckerTest {

    private static TestPki.Issued ca;
    private static TestPki.Issued leaf;
    private static TestPki.Issued otherCa;

    @TempDir
    Path dir;

    private final MockWebServer server = new MockWebServer();
    private final RecordingSink sink = new RecordingSink();
    private final RecordingListener listener = new RecordingListener();
    private HealthChecker checker;

    @BeforeAll
    static void pki() {
        ca = TestPki.ca("Switchboard Test CA");
        leaf = TestPki.leaf(ca, "ex01.test");
        otherCa = TestPki.ca("Someone Else's CA");
    }

    @BeforeEach
    void setUp() throws Exception {
        server.useHttps(TestPki.serverContext(leaf, ca).getSocketFactory());
        server.start();
        for (int i = 0; i < 50; i++) {
            server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        }
        checker = HealthChecker.builder(sink).listener(listener).seed(7).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        checker.close();
        server.close();
    }

    private HealthCheck.Builder https() {
        return HealthCheck.https().hostHeader("ex01.test").path("/owa/healthcheck.htm")
                .interval(Duration.ofMillis(50)).timeout(Duration.ofSeconds(2)).fall(1);
    }

    private void add(HealthCheck check) {
        checker.add(HealthTarget.of("mail", "owa", "ex01", Address.of("127.0.0.1", server.getPort()), check));
    }

    @Test
    void https_trustedCa_isUpAndSendsHostAndSni() throws Exception {
        add(https().trustCertificates(ca.writeCertificate(dir.resolve("ca.pem"))).build());

        Eventually.until("UP", () -> sink.lastIs("owa", "ex01", Health.UP, "status 200"));
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getTarget()).isEqualTo("/owa/healthcheck.htm");
        assertThat(request.getHeaders().get("Host")).isEqualTo("ex01.test");
        assertThat(request.getHandshake()).isNotNull();
        assertThat(request.getHandshakeServerNames()).containsExactly("ex01.test");
    }

    @Test
    void https_untrustedCertificate_isDownWithTheCertificateProblem() throws Exception {
        add(https().initialState(Health.UP)
                .trustCertificates(otherCa.writeCertificate(dir.resolve("other.pem"))).build());

        Eventually.until("DOWN", () -> listener.transitions.size() == 1);
        HealthTransition t = listener.transitions.get(0);
        assertThat(t.to()).isEqualTo(Health.DOWN);
        assertThat(t.reason()).startsWith("tls: ").containsIgnoringCase("certif");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void https_systemRoots_rejectTheTestCa() {
        add(https().initialState(Health.UP).build());

        Eventually.until("DOWN", () -> sink.lastIs("owa", "ex01", Health.DOWN, "tls: "));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void https_insecure_isUpWhateverTheCertificate() throws Exception {
        add(https().hostHeader("not-the-name.test").insecure().build());

        Eventually.until("UP", () -> sink.lastIs("owa", "ex01", Health.UP, "status 200"));
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Host")).isEqualTo("not-the-name.test");
    }

    @Test
    void https_wrongHostName_isDownNamingTheMismatch() throws Exception {
        add(https().hostHeader("ex02.test").initialState(Health.UP)
                .trustCertificates(ca.writeCertificate(dir.resolve("ca.pem"))).build());

        Eventually.until("DOWN", () -> sink.lastIs("owa", "ex01", Health.DOWN, "tls: "));
        assertThat(sink.last("owa", "ex01").orElseThrow().reason()).containsIgnoringCase("ex02.test");
    }

    @Test
    void validate_unreadableCa_namesTheField_andTrustOnHttpIsRefusedByBuild() {
        HealthCheck missing = HealthCheck.https().trustCertificates(dir.resolve("missing.pem")).build();
        assertThatThrownBy(() -> HealthTargets.validate(missing))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::path).containsExactly("trust");
                    assertThat(e.getMessage()).contains("trust: " + dir.resolve("missing.pem")
                            + " (expected: a readable PEM file with a CA certificate");
                });
        assertThatThrownBy(() -> HealthCheck.http().insecure().build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.violations())
                        .extracting(Violation::path).containsExactly("trust"));
    }

    @Test
    void add_unreadableCaNotValidated_probeFailsNamingTheFile() {
        add(https().trustCertificates(dir.resolve("missing.pem")).initialState(Health.UP).fall(1).build());

        Eventually.until("DOWN", () -> sink.lastIs("owa", "ex01", Health.DOWN, "tls trust: "));
        assertThat(sink.last("owa", "ex01").orElseThrow().reason()).contains("missing.pem");
    }
}
