package dev.switchboard.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.AuthenticationResult.Status;
import dev.switchboard.api.spi.Credentials;
import dev.switchboard.api.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many authentications at once: the caller never waits, the pool and the threads stay within maxConnections. */
class LdapConcurrencyTest {

    private static final int MAX_CONNECTIONS = 4;

    private static Credentials credentials(int i) {
        int user = i % TestDirectory.NUMBERED_USERS;
        String password = i % 5 == 0 ? "wrong-" + i : "pw-" + user;   // every fifth with a wrong password
        return Credentials.of("user" + user, password, "192.0.2." + (i % 250));
    }

    private static void assertVerdicts(List<CompletableFuture<AuthenticationResult>> verdicts) throws Exception {
        for (int i = 0; i < verdicts.size(); i++) {
            AuthenticationResult result = verdicts.get(i).get(20, TimeUnit.SECONDS);
            if (i % 5 == 0) {
                assertThat(result.reason()).as("login %d", i).isEqualTo("invalid credentials");
            } else {
                assertThat(result.status()).as("login %d", i).isEqualTo(Status.ACCEPTED);
                assertThat(result.user()).isEqualTo("user" + (i % TestDirectory.NUMBERED_USERS));
            }
        }
    }

    @Test
    void authenticate_manyAtOnceWhileTheServerHolds_callerNeverWaitsAndBindsStayWithinThePool() throws Exception {
        try (TestDirectory directory = TestDirectory.plain();
             LdapAuthenticator ldap = LdapAuthenticator.builder(directory.url())
                     .userDnPattern(TestDirectory.DN_PATTERN).requireGroup(TestDirectory.MAIL_USERS)
                     .maxConnections(MAX_CONNECTIONS).timeout(Duration.ofSeconds(20)).build()) {
            directory.holdBinds();
            List<CompletableFuture<AuthenticationResult>> verdicts = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                verdicts.add(ldap.authenticate(credentials(i)).toCompletableFuture());
            }
            Eventually.until("the pool's binds to reach the server",
                    () -> directory.bindsInProgress() == MAX_CONNECTIONS);

            assertThat(verdicts).noneMatch(CompletableFuture::isDone);   // all 100 calls returned without a verdict
            directory.releaseBinds();
            assertVerdicts(verdicts);
            assertThat(directory.maxBindsInProgress()).isEqualTo(MAX_CONNECTIONS);
            assertThat(directory.connectionsSeen()).isLessThanOrEqualTo(MAX_CONNECTIONS);
            assertThat(directory.binds()).isEqualTo(100);
        }
    }

    @Test
    void authenticate_manyFromManyThreadsWithSearch_allRightAndTwoPoolsBounded() throws Exception {
        try (TestDirectory directory = TestDirectory.plain();
             LdapAuthenticator ldap = LdapAuthenticator.builder(directory.url())
                     .bindDn(TestDirectory.SERVICE_DN).bindPassword(TestDirectory.SERVICE_PASSWORD)
                     .userSearchBase(TestDirectory.PEOPLE).userFilter("(uid={user})")
                     .requireGroup(TestDirectory.MAIL_USERS).maxPending(400)
                     .maxConnections(MAX_CONNECTIONS).timeout(Duration.ofSeconds(20)).build()) {
            int callers = 4;
            int perCaller = 100;
            List<List<CompletableFuture<AuthenticationResult>>> byCaller = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                List<CompletableFuture<AuthenticationResult>> mine = new ArrayList<>();
                byCaller.add(mine);
                threads.add(new Thread(() -> {
                    for (int i = 0; i < perCaller; i++) {
                        mine.add(ldap.authenticate(credentials(i)).toCompletableFuture());
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(20_000);
            }

            for (List<CompletableFuture<AuthenticationResult>> mine : byCaller) {
                assertThat(mine).hasSize(perCaller);
                assertVerdicts(mine);
            }
            // the service account's pool and the bind pool, each at most MAX_CONNECTIONS
            assertThat(directory.connectionsSeen()).isLessThanOrEqualTo(2 * MAX_CONNECTIONS);
        }
    }
}
