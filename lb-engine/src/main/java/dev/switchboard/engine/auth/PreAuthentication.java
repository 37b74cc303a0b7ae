package dev.switchboard.engine.auth;

import dev.switchboard.api.Authentication;
import dev.switchboard.api.Decision;
import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.Authenticator;
import dev.switchboard.api.spi.Credentials;
import dev.switchboard.api.spi.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * The coordinator of edge pre-authentication for a host: takes the credentials of a login form or of a {@link
 * Decision.Authenticate} and answers, asynchronously, accepted (with a new SSO cookie), rejected, locked or
 * unavailable. In order: a locked client address is refused; a locked user is refused unless the same user and
 * password were accepted moments ago (so a phone that keeps sending the right password is not locked out by an
 * attacker guessing); then the check cache, else the {@link Authenticator}. A rejection counts a failure against
 * the user and the address ({@link LockoutPolicy}); an unavailable directory counts nothing; a login the directory
 * accepted clears the user's failures (one from the cache does not, so a phone cannot reopen a locked account to a
 * guesser). Everything is reported
 * to the {@link AuthenticationRecorder} (the engine's stats and events).
 *
 * <pre>{@code
 * PreAuthentication preAuth = PreAuthentication.builder(ldap)
 *     .authentication(model.findAuthentication().orElseThrow())
 *     .recorder(engine.authenticationRecorder())
 *     .revocations(engine.ssoRevocations())
 *     .build();
 * if (engine.dispatch("mail", request) instanceof Decision.Authenticate a) {
 *     preAuth.check(a).thenAccept(r -> ...);   // see LoginResult
 * }
 * }</pre>
 *
 * <p>Thread-safe; never blocks (the authenticator must not either). A stage the authenticator leaves unanswered
 * for the check timeout completes unavailable. Never logs a password or a cookie.
 */
public final class PreAuthentication {

    private final Authenticator authenticator;
    private final SsoCookies cookies;
    private final BasicCheckCache cache;
    private final Lockouts lockouts;
    private final AuthenticationRecorder recorder;

    private PreAuthentication(Builder b) {
        this.authenticator = b.authenticator;
        this.cookies = b.authentication == null ? null : b.authentication.findSso()
                .map(s -> SsoCookies.of(s, b.epochSeconds, b.revocations)).orElse(null);
        this.cache = new BasicCheckCache(b.cacheTtl, b.cacheSize, b.checkTimeout, b.ticker);
        this.lockouts = new Lockouts(b.lockouts, b.ticker);
        this.recorder = b.recorder;
    }

    public static Builder builder(Authenticator authenticator) {
        return new Builder(authenticator);
    }

    /** The SSO cookies this coordinator seals, when SSO is configured. */
    public Optional<SsoCookies> ssoCookies() {
        return Optional.ofNullable(cookies);
    }

    /** Checks the credentials the engine asked about, for its virtual service. */
    public CompletionStage<LoginResult> check(Decision.Authenticate request) {
        return check(request.virtualService(), request.credentials());
    }

    /** Checks {@code credentials} for a login to {@code virtualService} (a form POST or a Basic header). */
    public CompletionStage<LoginResult> check(String virtualService, Credentials credentials) {
        Objects.requireNonNull(virtualService, "virtualService");
        String user = credentials.user();
        String client = credentials.clientAddress();
        long clientLock = lockouts.clientLockedFor(client);
        if (clientLock > 0) {
            recorder.refused(virtualService, true);
            return done(new LoginResult.Locked(seconds(clientLock), "client address locked out"));
        }
        long userLock = lockouts.userLockedFor(user);
        if (userLock > 0 && !cache.acceptedRecently(credentials)) {
            recorder.refused(virtualService, true);
            return done(new LoginResult.Locked(seconds(userLock), "user locked out"));
        }
        return cache.check(credentials, authenticator).thenApply(c -> answer(virtualService, credentials, c));
    }

    private LoginResult answer(String vs, Credentials credentials, BasicCheckCache.Check check) {
        AuthenticationResult r = check.result();
        String user = printable(credentials.user());
        String client = credentials.clientAddress();
        switch (r.status()) {
            case ACCEPTED -> {
                if (!check.cached()) {
                    lockouts.succeeded(credentials.user()); // a cache hit never lifts a lockout an attacker caused
                }
                recorder.login(vs, printable(r.user()), client, check.cached());
                return new LoginResult.Accepted(r.user(), cookies == null ? "" : cookies.seal(r.user()),
                        check.cached());
            }
            case REJECTED -> {
                Lockouts.Failure f = lockouts.failed(credentials.user(), client);
                recorder.failure(vs, user, client, r.reason());
                if (f.locked()) {
                    recorder.lockout(vs, f.userLocked() ? user : "", client, (f.userLocked() ? "user" : "client")
                            + " locked for " + seconds(f.lockedNanos()) + " s after repeated failures");
                }
                return new LoginResult.Rejected(r.reason());
            }
            default -> {
                recorder.refused(vs, false);
                return new LoginResult.Unavailable(r.reason());
            }
        }
    }

    private static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    private static CompletionStage<LoginResult> done(LoginResult r) {
        return CompletableFuture.completedFuture(r);
    }

    /** A user name for events and logs: control characters replaced, at most 256 characters. */
    static String printable(String user) {
        StringBuilder sb = new StringBuilder(Math.min(user.length(), 256));
        for (int i = 0; i < user.length() && i < 256; i++) {
            char c = user.charAt(i);
            sb.append(c < ' ' || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }

    /** Builds a {@link PreAuthentication}. Not thread-safe. */
    public static final class Builder {
        private final Authenticator authenticator;
        private Authentication authentication;
        private LockoutPolicy lockouts = LockoutPolicy.DEFAULTS;
        private Duration cacheTtl = Duration.ofMinutes(2);
        private int cacheSize = 10_000;
        private Duration checkTimeout = Duration.ofSeconds(10);
        private Ticker ticker = Ticker.system();
        private LongSupplier epochSeconds = () -> System.currentTimeMillis() / 1000;
        private AuthenticationRecorder recorder = AuthenticationRecorder.NONE;
        private SsoRevocations revocations = SsoRevocations.ofDefaults();

        private Builder(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        }

        /** The model's settings: the SSO cookie sealed on every accepted login. Without it no cookie is made. */
        public Builder authentication(Authentication authentication) {
            this.authentication = Objects.requireNonNull(authentication, "authentication");
            return this;
        }

        public Builder lockouts(LockoutPolicy policy) {
            this.lockouts = Objects.requireNonNull(policy, "lockouts");
            return this;
        }

        /**
         * How long an accepted Basic check is remembered (2 minutes unless set) and how many at most (10,000).
         *
         * @throws IllegalArgumentException when {@code ttl} is not in (0, 1 hour] or {@code size} not in 1..10^7
         */
        public Builder cache(Duration ttl, int size) {
            if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("cacheTtl: " + ttl + " (expected: more than zero, at most 1 h)");
            }
            if (size < 1 || size > 10_000_000) {
                throw new IllegalArgumentException("cacheSize: " + size + " (expected: 1..10000000)");
            }
            this.cacheTtl = ttl;
            this.cacheSize = size;
            return this;
        }

        /**
         * How long a check may take before it is answered unavailable (10 s unless set).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder checkTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("checkTimeout: " + timeout + " (expected: more than zero)");
            }
            this.checkTimeout = timeout;
            return this;
        }

        /** The clock of the cache and lockouts (tests); {@link Ticker#system()} unless set. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The clock of the SSO cookies, in epoch seconds (tests); the system clock unless set. */
        public Builder epochSeconds(LongSupplier epochSeconds) {
            this.epochSeconds = Objects.requireNonNull(epochSeconds, "epochSeconds");
            return this;
        }

        /** Where logins, failures and lockouts are counted: {@code engine.authenticationRecorder()}. */
        public Builder recorder(AuthenticationRecorder recorder) {
            this.recorder = Objects.requireNonNull(recorder, "recorder");
            return this;
        }

        /**
         * Where a logout ({@link SsoCookies#revoke}) ends sessions: {@code engine.ssoRevocations()}, so that the
         * engine refuses a copied cookie after the logout. A list of its own unless set (the engine would not see it).
         */
        public Builder revocations(SsoRevocations revocations) {
            this.revocations = Objects.requireNonNull(revocations, "revocations");
            return this;
        }

        public PreAuthentication build() {
            return new PreAuthentication(this);
        }
    }
}
