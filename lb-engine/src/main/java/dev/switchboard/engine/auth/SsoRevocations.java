package dev.switchboard.engine.auth;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSO sessions ended on this host (logout), so that a copy of a session's cookie, taken before the logout, is
 * refused after it. A session is named by the random 128-bit id sealed in its cookie at the login and kept by every
 * refreshed cookie of it. An entry lives as long as any cookie of its session could still be valid: until the
 * earlier of the session's end ({@code issued + timeout}) and the logout plus {@code idleTimeout} (no cookie of it
 * is refreshed after the logout), plus 60 s for clocks; expired entries are dropped when a logout finds the list
 * full and every 1,024 logouts.
 *
 * <p><b>Bounded</b>: at most {@code maxEntries} sessions alive in the list. A logout that finds it full of live
 * entries ends <em>every</em> session issued up to now (every user signs in again; logged at WARN) and starts an
 * empty list: it fails closed, never forgets a revocation.
 *
 * <p>The request path ({@link #revoked}) reads one volatile long and, only while some session is revoked, does one
 * lock-free {@link ConcurrentHashMap#containsKey}. Per process: the members of a fleet do not share it. Thread-safe.
 *
 * <pre>{@code
 * SsoRevocations revocations = engine.ssoRevocations();   // shared by the engine's cookies and the host's logout
 * PreAuthentication.builder(ldap).revocations(revocations)...
 * }</pre>
 */
public final class SsoRevocations {

    /** The most sessions remembered at once unless set. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    /** Slack for clocks between the sealing and the opening host. */
    static final long CLOCK_SLACK_SECONDS = 60;
    private static final int SWEEP_EVERY = 1_024;
    private static final Logger LOG = LoggerFactory.getLogger(SsoRevocations.class);

    /** A session's id: the 128 random bits sealed in its cookies. */
    record SessionId(long high, long low) {
    }

    private final int maxEntries;
    private final Map<SessionId, Long> until = new ConcurrentHashMap<>();
    private final AtomicInteger sinceSweep = new AtomicInteger();
    private volatile long notAfter = Long.MIN_VALUE;

    private SsoRevocations(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** A list of at most {@value #DEFAULT_MAX_ENTRIES} sessions. */
    public static SsoRevocations ofDefaults() {
        return of(DEFAULT_MAX_ENTRIES);
    }

    /**
     * A list of at most {@code maxEntries} sessions.
     *
     * @throws IllegalArgumentException when {@code maxEntries} is not in 1..10,000,000
     */
    public static SsoRevocations of(int maxEntries) {
        if (maxEntries < 1 || maxEntries > 10_000_000) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: 1..10000000)");
        }
        return new SsoRevocations(maxEntries);
    }

    /** Whether the session {@code id}, issued at {@code issued} (epoch seconds), has been ended here. */
    boolean revoked(SessionId id, long issued) {
        if (issued <= notAfter) {
            return true;
        }
        return !until.isEmpty() && until.containsKey(id);
    }

    /**
     * Ends the session {@code id} until {@code expires} (epoch seconds, when no cookie of it can be valid any more).
     * {@code now}: the current epoch second.
     */
    void revoke(SessionId id, long expires, long now) {
        if (sinceSweep.incrementAndGet() >= SWEEP_EVERY || until.size() >= maxEntries) {
            sinceSweep.set(0);
            sweep(now);
        }
        if (until.size() >= maxEntries) {
            notAfter = now;
            until.clear();
            LOG.warn("SSO logout list full ({} sessions ended and still alive): every session issued until now is"
                    + " ended, every user signs in again", maxEntries);
            return;
        }
        until.merge(id, expires, Math::max);
    }

    /** Drops the entries whose sessions can no longer be valid. */
    private void sweep(long now) {
        for (Iterator<Long> it = until.values().iterator(); it.hasNext(); ) {
            if (it.next() < now) {
                it.remove();
            }
        }
    }

    /** Sessions in the list now. */
    public int size() {
        return until.size();
    }

    /** The most sessions the list holds. */
    public int maxEntries() {
        return maxEntries;
    }

    @Override
    public String toString() {
        return "SsoRevocations[" + until.size() + " of " + maxEntries + "]";
    }
}
