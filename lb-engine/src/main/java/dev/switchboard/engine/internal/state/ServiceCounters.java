package dev.switchboard.engine.internal.state;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a virtual service or sub-service that survive reconfiguration while it keeps its name: only the
 * outcomes that no real server counts (answers by the engine, redirects, sorry server, waits). Request totals are
 * derived from these and the servers' counters when stats are read, so a dispatch pays for no extra atomic add.
 * Thread-safe.
 */
public final class ServiceCounters {

    private final LongAdder redirects = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder queued = new LongAdder();
    private final LongAdder sorry = new LongAdder();
    private final LongAdder badRequests = new LongAdder();
    private final LongAdder notFound = new LongAdder();
    private final LongAdder denied = new LongAdder();
    private final LongAdder persistenceHits = new LongAdder();
    private final LongAdder persistenceMisses = new LongAdder();
    private final LongAdder redispatches = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder challenges = new LongAdder();
    private final LongAdder checks = new LongAdder();
    private final LongAdder logins = new LongAdder();
    private final LongAdder cachedLogins = new LongAdder();
    private final LongAdder loginFailures = new LongAdder();
    private final LongAdder lockouts = new LongAdder();
    private final LongAdder lockedRefusals = new LongAdder();
    private final LongAdder directoryUnavailable = new LongAdder();

    /** Pre-authentication answered a challenge (401, login page redirect) or a 400 for a bad header. */
    public void challenged() {
        challenges.increment();
    }

    /** Pre-authentication asked the host to check credentials. */
    public void checkAsked() {
        checks.increment();
    }

    /** A login was accepted by the directory, or ({@code cached}) from the check cache. */
    public void login(boolean cached) {
        (cached ? cachedLogins : logins).increment();
    }

    public void loginFailed() {
        loginFailures.increment();
    }

    public void lockout() {
        lockouts.increment();
    }

    /** A login refused for a lockout in force ({@code locked}) or because the directory could not answer. */
    public void loginRefused(boolean locked) {
        (locked ? lockedRefusals : directoryUnavailable).increment();
    }

    /**
     * The pre-authentication counters: challenges, checks asked, logins, cached logins, failures, lockouts,
     * refusals for a lockout, directory unavailable.
     */
    public long[] authenticationCounts() {
        return new long[] {challenges.sum(), checks.sum(), logins.sum(), cachedLogins.sum(), loginFailures.sum(),
            lockouts.sum(), lockedRefusals.sum(), directoryUnavailable.sum()};
    }

    public void redirected() {
        redirects.increment();
    }

    /** A request answered by the engine itself (4xx, 503). */
    public void rejected() {
        rejected.increment();
    }

    /**
     * A request answered by the engine itself with {@code status}: counted as rejected, and as a bad request (400),
     * not found (404) or denied (any other status but 503).
     */
    public void rejected(int status) {
        rejected.increment();
        if (status == 400) {
            badRequests.increment();
        } else if (status == 404) {
            notFound.increment();
        } else if (status != 503) {
            denied.increment();
        }
    }

    /** Persistence found the client's server and kept it there (true), or could not (false). */
    public void persistence(boolean hit) {
        (hit ? persistenceHits : persistenceMisses).increment();
    }

    /** A connection to the server persistence kept a client on failed: its entry is dropped, it is sent afresh. */
    public void redispatched() {
        redispatches.increment();
    }

    /** The host sent a request again, to another dispatch, after an attempt on one of this sub-service's servers. */
    public void retried() {
        retries.increment();
    }

    public void queued() {
        queued.increment();
    }

    public void sorry() {
        sorry.increment();
    }

    public long redirectCount() {
        return redirects.sum();
    }

    public long rejectedCount() {
        return rejected.sum();
    }

    public long queuedCount() {
        return queued.sum();
    }

    public long sorryCount() {
        return sorry.sum();
    }

    public long badRequestCount() {
        return badRequests.sum();
    }

    public long notFoundCount() {
        return notFound.sum();
    }

    public long deniedCount() {
        return denied.sum();
    }

    public long persistenceHitCount() {
        return persistenceHits.sum();
    }

    public long persistenceMissCount() {
        return persistenceMisses.sum();
    }

    public long redispatchCount() {
        return redispatches.sum();
    }

    public long retryCount() {
        return retries.sum();
    }
}
