package dev.switchboard.engine.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.Authenticator;
import dev.switchboard.api.spi.Credentials;
import dev.switchboard.api.spi.Ticker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Remembers briefly which Basic credentials the directory accepted, so that a client sending {@code Authorization:
 * Basic} on every request (ActiveSync, EWS) does not cost a bind per request. The key is HMAC-SHA256 of the user and
 * password under a random key made at start (never the password, nor a hash an attacker could test guesses
 * against offline without that key); the value is the check's answer. Only an accepted answer stays; a rejected or
 * unavailable one is dropped when it completes. Concurrent checks of the same credentials share one call of the
 * {@link Authenticator} (the second waits for the first's answer). Entries expire {@code ttl} after the check;
 * at most {@code maxEntries} are kept (Caffeine's eviction). A check the authenticator leaves unanswered for
 * {@code timeout} is answered unavailable.
 *
 * <p>Thread-safe; lock-free on a hit.
 */
final class BasicCheckCache {

    /** The answer and whether it came from the cache (or from another request's check in flight). */
    record Check(AuthenticationResult result, boolean cached) {
    }

    private record Key(long a, long b, long c, long d) {
    }

    private final byte[] key = Secrets.random(32);
    private final Cache<Key, CompletableFuture<AuthenticationResult>> entries;
    private final Duration timeout;

    BasicCheckCache(Duration ttl, int maxEntries, Duration timeout, Ticker ticker) {
        this.timeout = timeout;
        this.entries = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries).ticker(ticker::read)
                .build();
    }

    /** Checks {@code credentials}: from the cache when accepted recently, else with {@code authenticator}. */
    CompletionStage<Check> check(Credentials credentials, Authenticator authenticator) {
        Key k = keyOf(credentials);
        CompletableFuture<AuthenticationResult> mine = new CompletableFuture<>();
        CompletableFuture<AuthenticationResult> prior = entries.asMap().putIfAbsent(k, mine);
        if (prior != null) {
            return prior.thenApply(r -> new Check(r, true));
        }
        CompletionStage<AuthenticationResult> stage;
        try {
            stage = authenticator.authenticate(credentials);
        } catch (RuntimeException e) {
            stage = CompletableFuture.completedFuture(AuthenticationResult.unavailable("authenticator threw "
                    + e.getClass().getSimpleName()));
        }
        if (stage == null) {
            stage = CompletableFuture.completedFuture(AuthenticationResult.unavailable("authenticator answered null"));
        }
        mine.thenAccept(result -> {
            if (result.status() != AuthenticationResult.Status.ACCEPTED) {
                entries.asMap().remove(k, mine);
            }
        });
        mine.completeOnTimeout(AuthenticationResult.unavailable("no answer within " + timeout.toMillis() + " ms"),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        stage.whenComplete((r, e) -> mine.complete(r != null ? r : AuthenticationResult.unavailable(e == null
                ? "authenticator completed with null" : "authenticator failed: " + e.getClass().getSimpleName())));
        return mine.thenApply(r -> new Check(r, false));
    }

    /** Whether these exact credentials were accepted within the time to live (a completed, accepted check). */
    boolean acceptedRecently(Credentials credentials) {
        CompletableFuture<AuthenticationResult> f = entries.getIfPresent(keyOf(credentials));
        return f != null && f.isDone() && f.join().status() == AuthenticationResult.Status.ACCEPTED;
    }

    /** Entries kept (estimated). */
    long size() {
        return entries.estimatedSize();
    }

    private Key keyOf(Credentials c) {
        byte[] u = c.user().getBytes(StandardCharsets.UTF_8);
        byte[] p = c.password().getBytes(StandardCharsets.UTF_8);
        byte[] data = ByteBuffer.allocate(4 + u.length + p.length).putInt(u.length).put(u).put(p).array();
        ByteBuffer mac = ByteBuffer.wrap(Secrets.hmac(key, data));
        return new Key(mac.getLong(), mac.getLong(), mac.getLong(), mac.getLong());
    }
}
