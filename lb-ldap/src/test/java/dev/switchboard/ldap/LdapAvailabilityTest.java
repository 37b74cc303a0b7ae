package dev.switchboard.ldap;

import static dev.switchboard.ldap.TestDirectory.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.AuthenticationResult.Status;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.tls.UpstreamTlsConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A directory that is down, stopped mid-way, slow or silent: the verdict is {@code unavailable} within the timeout,
 * never an exception or a hang, and the authenticator recovers when the directory does.
 */
class LdapAvailabilityTest {

    private static final Duration SHORT = Duration.ofMillis(500);
    /** The verdict may come this much after the timeout on a loaded 2-core machine. */
    private static final long SLACK_MILLIS = 1500;

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void authenticate_serverStoppedMidway_unavailableThenAcceptedWhenItIsBack() throws Exception {
        TestDirectory directory = TestDirectory.plain();
        int port = directory.port();
        try (LdapAuthenticator ldap = LdapAuthenticator.builder(directory.url())
                .userDnPattern(TestDirectory.DN_PATTERN).timeout(Duration.ofSeconds(2)).build()) {
            assertThat(verdict(ldap, "alice", "alice-secret").status()).isEqualTo(Status.ACCEPTED);

            directory.stop();   // the pooled connection is now dead, and nothing listens
            long start = System.nanoTime();
            AuthenticationResult down = verdict(ldap, "alice", "alice-secret");

            assertThat(down.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(down.reason()).isEqualTo("ldap unreachable: ldap://127.0.0.1:" + port + " (connect error)");
            assertThat(millisSince(start)).isLessThan(2000 + SLACK_MILLIS);

            try (TestDirectory back = TestDirectory.plainOn(port)) {
                AuthenticationResult up = verdict(ldap, "alice", "alice-secret");

                assertThat(up.status()).isEqualTo(Status.ACCEPTED);
                assertThat(back.binds()).isEqualTo(1);
            }
        } finally {
            directory.close();
        }
    }

    @Test
    void authenticate_nothingListens_unavailableAtOnce() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        try (LdapAuthenticator ldap = LdapAuthenticator.builder("ldap://127.0.0.1:" + port)
                .userDnPattern(TestDirectory.DN_PATTERN).build()) {
            long start = System.nanoTime();
            AuthenticationResult result = verdict(ldap, "alice", "alice-secret");

            assertThat(result.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(result.reason()).startsWith("ldap unreachable: ");
            assertThat(millisSince(start)).isLessThan(LdapAuthenticator.DEFAULT_TIMEOUT.toMillis());
        }
    }

    @Test
    void authenticate_slowServer_unavailableWithinTheTimeoutThenAcceptedWhenFast() throws Exception {
        try (TestDirectory directory = TestDirectory.plain();
             LdapAuthenticator ldap = LdapAuthenticator.builder(directory.url())
                     .userDnPattern(TestDirectory.DN_PATTERN).timeout(SHORT).build()) {
            directory.holdBinds();
            long start = System.nanoTime();
            AuthenticationResult slow = verdict(ldap, "alice", "alice-secret");

            assertThat(slow.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(slow.reason()).isEqualTo("ldap timeout after 500 ms");
            assertThat(millisSince(start)).isBetween(SHORT.toMillis() - 50, SHORT.toMillis() + SLACK_MILLIS);

            directory.releaseBinds();
            assertThat(verdict(ldap, "alice", "alice-secret").status()).isEqualTo(Status.ACCEPTED);
        }
    }

    @Test
    void authenticate_silentServer_unavailableWithinTheTimeoutAndTheConnectionClosed() throws Exception {
        try (SilentServer silent = new SilentServer();
             LdapAuthenticator ldap = LdapAuthenticator.builder("ldap://127.0.0.1:" + silent.port())
                     .userDnPattern(TestDirectory.DN_PATTERN).timeout(SHORT).maxConnections(1).build()) {
            long start = System.nanoTime();
            AuthenticationResult result = verdict(ldap, "alice", "alice-secret");

            assertThat(result.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(result.reason()).isEqualTo("ldap timeout after 500 ms");
            assertThat(millisSince(start)).isLessThan(SHORT.toMillis() + SLACK_MILLIS);
            Eventually.until("the client to give up its connection", () -> silent.closedByClient() == 1);
        }
    }

    @Test
    void authenticate_silentLdapsServer_handshakeGivenUpWithinTheTimeout() throws Exception {
        try (SilentServer silent = new SilentServer();
             LdapAuthenticator ldap = LdapAuthenticator.builder("ldaps://127.0.0.1:" + silent.port())
                     .tls(UpstreamTlsConfig.builder().insecure().build())
                     .userDnPattern(TestDirectory.DN_PATTERN).timeout(SHORT).maxConnections(1).build()) {
            long start = System.nanoTime();
            AuthenticationResult result = verdict(ldap, "alice", "alice-secret");

            assertThat(result.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(millisSince(start)).isLessThan(SHORT.toMillis() + SLACK_MILLIS);
            // the one worker thread is not stuck in the handshake: it closes the connection and takes the next login
            Eventually.until("the client to give up the handshake", () -> silent.closedByClient() == 1);
            assertThat(verdict(ldap, "alice", "alice-secret").status()).isEqualTo(Status.UNAVAILABLE);
            Eventually.until("the second handshake to be given up too", () -> silent.closedByClient() == 2);
        }
    }

    @Test
    void authenticate_moreThanMaxPendingWhileSlow_busyAtOnce() throws Exception {
        try (TestDirectory directory = TestDirectory.plain();
             LdapAuthenticator ldap = LdapAuthenticator.builder(directory.url())
                     .userDnPattern(TestDirectory.DN_PATTERN).maxConnections(1).maxPending(1)
                     .timeout(Duration.ofSeconds(10)).build()) {
            directory.holdBinds();
            var running = ldap.authenticate(dev.switchboard.api.spi.Credentials.of("alice", "alice-secret", ""))
                    .toCompletableFuture();
            Eventually.until("the first bind to reach the server", () -> directory.binds() == 1);
            var waiting = ldap.authenticate(dev.switchboard.api.spi.Credentials.of("bob", "bob-secret", ""))
                    .toCompletableFuture();

            AuthenticationResult refused = verdict(ldap, "carol", "carol-secret");

            assertThat(refused.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(refused.reason()).isEqualTo("ldap busy: 1 authentications already waiting");
            directory.releaseBinds();
            assertThat(running.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.ACCEPTED);
            assertThat(waiting.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.ACCEPTED);
        }
    }

    @Test
    void close_whileLoginsWait_completesThemUnavailable() throws Exception {
        try (TestDirectory directory = TestDirectory.plain()) {
            LdapAuthenticator ldap = LdapAuthenticator.builder(directory.url())
                    .userDnPattern(TestDirectory.DN_PATTERN).maxConnections(1).timeout(Duration.ofSeconds(30))
                    .build();
            directory.holdBinds();
            var running = ldap.authenticate(dev.switchboard.api.spi.Credentials.of("alice", "alice-secret", ""))
                    .toCompletableFuture();
            Eventually.until("the first bind to reach the server", () -> directory.binds() == 1);
            var waiting = ldap.authenticate(dev.switchboard.api.spi.Credentials.of("bob", "bob-secret", ""))
                    .toCompletableFuture();

            ldap.close();

            assertThat(waiting.get(5, TimeUnit.SECONDS).reason()).isEqualTo("ldap authenticator closed");
            assertThat(running.get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.UNAVAILABLE);
        }
    }
}
