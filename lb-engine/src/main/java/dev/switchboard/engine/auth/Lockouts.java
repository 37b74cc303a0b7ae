package dev.switchboard.engine.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.api.spi.Ticker;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Counts failed logins per user and per client address and locks them out by a {@link LockoutPolicy}. Users are
 * compared without regard to case ({@code Alice} and {@code alice} are one). A success resets the user's count, not
 * the address's (one valid account must not let an address guess others' passwords without limit). Only rejections
 * count: an unavailable directory never does. Bounded: two Caffeine caches of at most {@code maxTracked} entries
 * that expire once their window and lockout are over.
 *
 * <p>Thread-safe: each tracked entry is updated under its own monitor (a few field writes).
 */
final class Lockouts {

    /** What a failure did: nothing more, or locked the user or the address (for how long). */
    record Failure(boolean userLocked, boolean clientLocked, long lockedNanos) {
        boolean locked() {
            return userLocked || clientLocked;
        }
    }

    /** One user's or address's failures. Guarded by itself. */
    private static final class Tracker {
        private long windowStart;
        private int failures;
        private int lockouts;
        private long lockedUntil;
    }

    private final LockoutPolicy policy;
    private final Ticker ticker;
    private final Cache<String, Tracker> users;
    private final Cache<String, Tracker> clients;

    Lockouts(LockoutPolicy policy, Ticker ticker) {
        this.policy = policy;
        this.ticker = ticker;
        long keep = policy.window().plus(policy.maxLockout()).toNanos();
        this.users = Caffeine.newBuilder().maximumSize(policy.maxTracked())
                .expireAfterAccess(keep, TimeUnit.NANOSECONDS).ticker(ticker::read).build();
        this.clients = Caffeine.newBuilder().maximumSize(policy.maxTracked())
                .expireAfterAccess(keep, TimeUnit.NANOSECONDS).ticker(ticker::read).build();
    }

    /** Nanoseconds until {@code user} may try again (0: not locked). */
    long userLockedFor(String user) {
        return lockedFor(users.getIfPresent(fold(user)));
    }

    /** Nanoseconds until {@code client} may try again (0: not locked, or unknown address). */
    long clientLockedFor(String client) {
        return client.isEmpty() ? 0 : lockedFor(clients.getIfPresent(client));
    }

    private long lockedFor(Tracker t) {
        if (t == null) {
            return 0;
        }
        synchronized (t) {
            return Math.max(0, t.lockedUntil - ticker.read());
        }
    }

    /** Counts a rejected login of {@code user} from {@code client}. */
    Failure failed(String user, String client) {
        long userLock = count(users.get(fold(user), k -> new Tracker()), policy.userFailures());
        long clientLock = client.isEmpty() ? 0 : count(clients.get(client, k -> new Tracker()),
                policy.clientFailures());
        return new Failure(userLock > 0, clientLock > 0, Math.max(userLock, clientLock));
    }

    /** A successful login of {@code user}: its failures are forgotten. */
    void succeeded(String user) {
        users.invalidate(fold(user));
    }

    /** Users and addresses tracked (estimated), for tests of the bound. */
    long tracked() {
        users.cleanUp();
        clients.cleanUp();
        return users.estimatedSize() + clients.estimatedSize();
    }

    /** @return the length of the lockout this failure started, 0 when it started none */
    private long count(Tracker t, int threshold) {
        long now = ticker.read();
        synchronized (t) {
            if (t.failures == 0 || now - t.windowStart > policy.window().toNanos()) {
                t.windowStart = now;
                t.failures = 0;
            }
            t.failures++;
            if (t.failures < threshold) {
                return 0;
            }
            t.failures = 0;
            t.lockouts = Math.min(t.lockouts + 1, 30);
            long max = policy.maxLockout().toNanos();
            long length = Math.min(policy.lockout().toNanos(), max);
            for (int i = 1; i < t.lockouts && length < max; i++) {
                length = length > max / 2 ? max : length * 2;
            }
            t.lockedUntil = now + length;
            return length;
        }
    }

    private static String fold(String user) {
        return user.toLowerCase(Locale.ROOT);
    }
}
