package dev.switchboard.radius;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Violation;
import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.AuthenticationResult.Status;
import dev.switchboard.api.spi.Credentials;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.radius.testing.TestRadiusServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PAP over UDP against a real RADIUS server of another implementation (TinyRadius) on loopback. */
class RadiusAuthenticatorTest {

    private static final Duration SHORT = Duration.ofMillis(500);
    private static final long SLACK_MILLIS = 1500;

    private static TestRadiusServer server;
    private static RadiusAuthenticator radius;

    @BeforeAll
    static void start() throws Exception {
        server = new TestRadiusServer();
        radius = RadiusAuthenticator.builder(server.address()).secret(TestRadiusServer.SECRET).build();
    }

    @AfterAll
    static void stop() {
        radius.close();
        server.close();
    }

    private static AuthenticationResult verdict(RadiusAuthenticator authenticator, String user, String password)
            throws Exception {
        return authenticator.authenticate(Credentials.of(user, password, "192.0.2.7")).toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void authenticate_rightPassword_accepted() throws Exception {
        AuthenticationResult result = verdict(radius, "alice", "alice-secret");

        assertThat(result.status()).isEqualTo(Status.ACCEPTED);
        assertThat(result.user()).isEqualTo("alice");
    }

    @Test
    void authenticate_nonAsciiNameAndPassword_accepted() throws Exception {
        assertThat(verdict(radius, "jürgen", "pässword").status()).isEqualTo(Status.ACCEPTED);
    }

    @Test
    void authenticate_wrongPassword_rejected() throws Exception {
        assertThat(verdict(radius, "alice", "bob-secret").reason()).isEqualTo("invalid credentials");
    }

    @Test
    void authenticate_unknownUser_rejected() throws Exception {
        assertThat(verdict(radius, "mallory", "x").reason()).isEqualTo("invalid credentials");
    }

    @Test
    void authenticate_emptyPassword_rejectedWithoutARequest() throws Exception {
        int before = server.requests();

        assertThat(verdict(radius, "alice", "").reason()).isEqualTo("empty password");
        assertThat(server.requests()).isEqualTo(before);
    }

    @Test
    void authenticate_passwordOver128Bytes_rejectedWithoutARequest() throws Exception {
        int before = server.requests();

        assertThat(verdict(radius, "alice", "p".repeat(129)).status()).isEqualTo(Status.REJECTED);
        assertThat(server.requests()).isEqualTo(before);
    }

    @Test
    void authenticate_wrongSharedSecret_unavailable() throws Exception {
        try (RadiusAuthenticator wrong = RadiusAuthenticator.builder(server.address()).secret("not-the-secret")
                .build()) {
            AuthenticationResult result = verdict(wrong, "alice", "alice-secret");

            assertThat(result.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(result.reason()).isEqualTo("radius response invalid (wrong shared secret?)");
        }
    }

    @Test
    void authenticate_silentServer_unavailableWithinTheTimeoutAfterEveryAttempt() throws Exception {
        try (SilentUdpServer silent = new SilentUdpServer();
             RadiusAuthenticator toSilent = RadiusAuthenticator.builder(silent.address()).secret("x")
                     .timeout(SHORT).attempts(2).build()) {
            long start = System.nanoTime();
            AuthenticationResult result = verdict(toSilent, "alice", "alice-secret");

            assertThat(result.reason()).isEqualTo("radius timeout after 500 ms");
            assertThat(millisSince(start)).isLessThan(SHORT.toMillis() + SLACK_MILLIS);
            Eventually.until("the request and its retransmission", () -> silent.received() == 2);
        }
    }

    @Test
    void authenticate_slowServer_unavailableWithinTheTimeoutThenAcceptedWhenFast() throws Exception {
        try (TestRadiusServer slow = new TestRadiusServer();
             RadiusAuthenticator toSlow = RadiusAuthenticator.builder(slow.address())
                     .secret(TestRadiusServer.SECRET).timeout(SHORT).build()) {
            slow.hold();
            long start = System.nanoTime();
            AuthenticationResult result = verdict(toSlow, "alice", "alice-secret");

            assertThat(result.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(millisSince(start)).isBetween(SHORT.toMillis() - 50, SHORT.toMillis() + SLACK_MILLIS);
            slow.release();
            assertThat(verdict(toSlow, "bob", "bob-secret").status()).isEqualTo(Status.ACCEPTED);
        }
    }

    @Test
    void authenticate_manyAtOnce_callerNeverWaitsAndRequestsStayWithinMaxConcurrent() throws Exception {
        try (TestRadiusServer held = new TestRadiusServer();
             RadiusAuthenticator bounded = RadiusAuthenticator.builder(held.address())
                     .secret(TestRadiusServer.SECRET).maxConcurrent(4).timeout(Duration.ofSeconds(20)).build()) {
            held.hold();
            List<CompletableFuture<AuthenticationResult>> verdicts = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String password = i % 3 == 0 ? "wrong" : "alice-secret";
                verdicts.add(bounded.authenticate(Credentials.of("alice", password, "")).toCompletableFuture());
            }
            Eventually.until("four requests at the server", () -> held.inProgress() == 4);

            assertThat(verdicts).noneMatch(CompletableFuture::isDone);
            held.release();
            for (int i = 0; i < verdicts.size(); i++) {
                Status expected = i % 3 == 0 ? Status.REJECTED : Status.ACCEPTED;
                assertThat(verdicts.get(i).get(20, TimeUnit.SECONDS).status()).as("request %d", i)
                        .isEqualTo(expected);
            }
            assertThat(held.maxInProgress()).isEqualTo(4);
        }
    }

    @Test
    void authenticate_afterClose_unavailable() throws Exception {
        RadiusAuthenticator closing = RadiusAuthenticator.builder(server.address()).secret(TestRadiusServer.SECRET)
                .build();
        closing.close();

        assertThat(verdict(closing, "alice", "alice-secret").reason()).isEqualTo("radius authenticator closed");
    }

    @Test
    void build_badSettings_everyOneNamedWithItsValue() {
        ConfigurationException e = null;
        try (RadiusAuthenticator unexpected = RadiusAuthenticator.builder("radius://x/y").timeout(Duration.ZERO)
                .attempts(0).maxConcurrent(0).maxPending(-1).nasIdentifier("").build()) {
            throw new AssertionError("built " + unexpected);
        } catch (ConfigurationException thrown) {
            e = thrown;
        }

        assertThat(e.violations()).extracting(Violation::toString).containsExactly(
                "address: 'radius://x/y' (expected: host or host:port, e.g. radius.example.test:1812)",
                "secret: missing (expected: the shared secret of this client)",
                "nasIdentifier: '' (expected: 1..253 bytes)",
                "timeout: PT0S (expected: > 0 and <= PT10M)",
                "attempts: 0 (expected: 1..10)",
                "maxConcurrent: 0 (expected: 1..1024)",
                "maxPending: -1 (expected: 0..100000)");
    }

    @Test
    void build_defaultPortAndToString_noSecret() {
        try (RadiusAuthenticator r = RadiusAuthenticator.builder("127.0.0.1").secret("very-secret").build()) {
            assertThat(r.toString()).isEqualTo("RadiusAuthenticator[127.0.0.1, NAS switchboard]")
                    .doesNotContain("very-secret");
        }
    }
}
