package dev.switchboard.engine.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Authentication;
import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.Authenticator;
import dev.switchboard.api.spi.Credentials;
import dev.switchboard.api.spi.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PreAuthenticationTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = nanos::get;
    private final AtomicInteger calls = new AtomicInteger();
    /** A directory with one user, alice/secret, answering on another thread. */
    private final Authenticator directory = c -> {
        calls.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> c.user().equals("alice") && c.password().equals("secret")
                ? AuthenticationResult.accepted("alice") : AuthenticationResult.rejected("invalid credentials"));
    };

    private PreAuthentication preAuth(Authenticator authenticator, AuthenticationRecorder recorder) {
        return PreAuthentication.builder(authenticator).ticker(ticker).recorder(recorder)
                .authentication(Authentication.builder().realm("mail")
                        .sso(SsoCookiesTest.sso("example.test", SsoCookiesTest.SECRET)).build())
                .lockouts(new LockoutPolicy(3, 5, Duration.ofMinutes(15), Duration.ofMinutes(1),
                        Duration.ofMinutes(4), 1_000))
                .build();
    }

    private static LoginResult check(PreAuthentication p, String user, String password, String client) {
        return p.check("mail", Credentials.of(user, password, client)).toCompletableFuture().join();
    }

    @Test
    void check_rightPassword_acceptedWithASessionCookieThenCached() {
        PreAuthentication p = preAuth(directory, AuthenticationRecorder.NONE);
        LoginResult first = check(p, "alice", "secret", "192.0.2.1");
        assertThat(first).isInstanceOf(LoginResult.Accepted.class);
        LoginResult.Accepted a = (LoginResult.Accepted) first;
        assertThat(a.cached()).isFalse();
        assertThat(p.ssoCookies().orElseThrow().open(a.cookieValue()).user()).isEqualTo("alice");
        for (int i = 0; i < 1_000; i++) {
            assertThat(check(p, "alice", "secret", "192.0.2.1")).isInstanceOf(LoginResult.Accepted.class);
        }
        assertThat(calls).hasValue(1); // binds per 1,000 requests: 1
        nanos.addAndGet(Duration.ofMinutes(3).toNanos()); // past the 2-minute time to live
        check(p, "alice", "secret", "192.0.2.1");
        assertThat(calls).hasValue(2);
    }

    @Test
    void check_wrongPasswords_lockTheUserWithBackOffAndRetryAfter() {
        List<String> events = new ArrayList<>();
        PreAuthentication p = preAuth(directory, new AuthenticationRecorder() {
            @Override
            public void lockout(String vs, String user, String client, String reason) {
                events.add(user + " " + reason);
            }
        });
        for (int i = 0; i < 3; i++) {
            assertThat(check(p, "alice", "guess" + i, "192.0.2.1")).isInstanceOf(LoginResult.Rejected.class);
        }
        assertThat(events).containsExactly("alice user locked for 60 s after repeated failures");
        int before = calls.get();
        LoginResult locked = check(p, "Alice", "secret", "192.0.2.2"); // the right password, another address
        assertThat(locked).isInstanceOf(LoginResult.Locked.class);
        assertThat(((LoginResult.Locked) locked).retryAfterSeconds()).isEqualTo(60);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(calls).hasValue(before); // the directory was not asked
        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        for (int i = 0; i < 3; i++) {
            check(p, "alice", "again" + i, "192.0.2." + (10 + i)); // addresses stay under their own limit
        }
        assertThat(((LoginResult.Locked) check(p, "alice", "secret", "192.0.2.3")).retryAfterSeconds())
                .isEqualTo(120); // doubled
    }

    @Test
    void check_manyUsersFromOneAddress_lockTheAddress() {
        PreAuthentication p = preAuth(directory, AuthenticationRecorder.NONE);
        for (int i = 0; i < 5; i++) {
            check(p, "user" + i, "guess", "198.51.100.9");
        }
        assertThat(check(p, "alice", "secret", "198.51.100.9")).isInstanceOf(LoginResult.Locked.class);
        assertThat(check(p, "alice", "secret", "198.51.100.10")).isInstanceOf(LoginResult.Accepted.class);
    }

    @Test
    void check_userLockedByAnAttacker_stillServesTheCachedRightPassword() {
        PreAuthentication p = preAuth(directory, AuthenticationRecorder.NONE);
        assertThat(check(p, "alice", "secret", "192.0.2.1")).isInstanceOf(LoginResult.Accepted.class);
        for (int i = 0; i < 3; i++) {
            check(p, "alice", "guess" + i, "203.0.113.66");
        }
        assertThat(check(p, "alice", "secret", "192.0.2.1")).isInstanceOf(LoginResult.Accepted.class);
        assertThat(check(p, "alice", "other", "192.0.2.1")).isInstanceOf(LoginResult.Locked.class);
    }

    @Test
    void check_directoryUnavailableOrThrowingOrSilent_is503AndNeverLocks() {
        Authenticator down = c -> CompletableFuture.completedFuture(AuthenticationResult.unavailable("ldap down"));
        PreAuthentication p = preAuth(down, AuthenticationRecorder.NONE);
        for (int i = 0; i < 10; i++) {
            assertThat(check(p, "alice", "secret", "192.0.2.1").status()).isEqualTo(503);
        }
        Authenticator throwing = c -> {
            throw new IllegalStateException("boom");
        };
        assertThat(check(preAuth(throwing, AuthenticationRecorder.NONE), "a", "b", "").status()).isEqualTo(503);
        Authenticator failing = c -> CompletableFuture.failedFuture(new RuntimeException("x"));
        assertThat(check(preAuth(failing, AuthenticationRecorder.NONE), "a", "b", "").status()).isEqualTo(503);
        PreAuthentication silent = PreAuthentication.builder(c -> new CompletableFuture<>())
                .checkTimeout(Duration.ofMillis(50)).build();
        assertThat(check(silent, "a", "b", "")).isInstanceOf(LoginResult.Unavailable.class);
    }

    @Test
    void check_concurrentSameCredentials_shareOneDirectoryCall() throws Exception {
        CompletableFuture<AuthenticationResult> answer = new CompletableFuture<>();
        AtomicInteger slowCalls = new AtomicInteger();
        PreAuthentication p = preAuth(c -> {
            slowCalls.incrementAndGet();
            return answer;
        }, AuthenticationRecorder.NONE);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<LoginResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(CompletableFuture.supplyAsync(() -> p.check("mail",
                        Credentials.of("alice", "secret", "192.0.2.1")), pool)
                        .thenCompose(s -> s.toCompletableFuture()));
            }
            CompletableFuture.allOf(results.stream().map(f -> f.thenApply(r -> r)).toArray(CompletableFuture[]::new))
                    .completeOnTimeout(null, 200, TimeUnit.MILLISECONDS).join();
            answer.complete(AuthenticationResult.accepted("alice"));
            for (CompletableFuture<LoginResult> r : results) {
                assertThat(r.get(5, TimeUnit.SECONDS)).isInstanceOf(LoginResult.Accepted.class);
            }
            assertThat(slowCalls).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lockouts_millionsOfNames_stayBounded() {
        Lockouts l = new Lockouts(new LockoutPolicy(3, 100_000, Duration.ofMinutes(15), Duration.ofMinutes(1),
                Duration.ofMinutes(4), 1_000), ticker);
        for (int i = 0; i < 50_000; i++) {
            l.failed("user" + i, "10.0." + (i >> 8 & 255) + "." + (i & 255));
        }
        assertThat(l.tracked()).isLessThanOrEqualTo(2_000);
    }
}
