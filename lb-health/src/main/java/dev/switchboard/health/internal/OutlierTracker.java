package dev.switchboard.health.internal;

import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.OutlierState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The passive health of one real server in one sub-service: a resilience4j {@link CircuitBreaker} (the failure
 * rate over a count-based sliding window, and the half-open evaluation), a counter of consecutive failures, and the
 * ejection schedule.
 *
 * <p>{@link #record} runs on the host's releasing threads: a few atomic operations, no lock (the breaker's window
 * is lock-free; it allocates a few small objects per call, about 200 bytes), no allocation of its own unless the
 * state changes. Without a failure rate, a closed breaker is not fed at all (the consecutive counter decides), so that
 * configuration allocates nothing per call; the breaker then only judges the half-open calls. With one, a success is
 * not fed while the window holds only successes (it would change nothing), so steady healthy traffic costs a
 * volatile read per call, not a window update. When the breaker's state
 * differs from the one last applied, it asks for a {@link #reconcile} once through {@code signal}. Everything else
 * ({@code reconcile}, the ejection level and deadline) runs on the detector's one thread.
 */
public final class OutlierTracker {

    /** What the breaker records for a failed exchange: one shared, stackless throwable. */
    private static final Throwable FAILURE = new Throwable("failed exchange", null, false, false) { };

    private final String virtualService;
    private final String subService;
    private final String server;
    private final OutlierDetection detection;
    private final CircuitBreaker breaker;
    private final boolean rate;
    private final AtomicInteger consecutive = new AtomicInteger();
    /** Successes fed to the closed breaker since its last failure or reset, counted up to the window size. */
    private final AtomicInteger successStreak = new AtomicInteger();
    private final int windowCalls;
    private final long slowCallNanos;
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Consumer<OutlierTracker> signal;
    private volatile CircuitBreaker.State applied = CircuitBreaker.State.CLOSED;
    private volatile String openCause = "";
    private volatile OutlierState phase = OutlierState.NORMAL;
    private int level;
    private long ejectedUntil;
    private long normalSince;

    public OutlierTracker(String virtualService, String subService, String server, OutlierDetection detection,
            Consumer<OutlierTracker> signal) {
        this.virtualService = virtualService;
        this.subService = subService;
        this.server = server;
        this.detection = detection;
        this.signal = signal;
        this.breaker = CircuitBreaker.of(virtualService + "/" + subService + "/" + server, config(detection));
        this.rate = detection.failureRatePercent() > 0;
        this.windowCalls = detection.windowCalls();
        this.slowCallNanos = breaker.getCircuitBreakerConfig().getSlowCallDurationThreshold().toNanos();
    }

    private static final java.time.Duration NEVER_SLOW = java.time.Duration.ofDays(3650);

    static CircuitBreakerConfig config(OutlierDetection d) {
        boolean rate = d.failureRatePercent() > 0;
        // without a failure rate, 100 % of the last consecutiveFailures calls is exactly the consecutive rule
        int window = rate ? d.windowCalls() : d.consecutiveFailures();
        int minimum = rate ? d.minimumCalls() : d.consecutiveFailures();
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(rate ? d.failureRatePercent() : 100)
                .slidingWindow(window, minimum, SlidingWindowType.COUNT_BASED, SlidingWindowSynchronizationStrategy.LOCK_FREE)
                .permittedNumberOfCallsInHalfOpenState(d.halfOpenCalls())
                // no slow-call rule: resilience4j's default (100 % of calls over 60 s) would eject every server of a
                // pool that serves long polls or event streams; slowness is not a failure here
                .slowCallDurationThreshold(NEVER_SLOW)
                .waitDurationInOpenState(d.maxEjectionTime()) // unused: the detector ends ejections on its ticker
                .writableStackTraceEnabled(false)
                .build();
    }

    public String virtualService() { return virtualService; }
    public String subService() { return subService; }
    public String server() { return server; }
    public OutlierDetection detection() { return detection; }
    /** The state last applied to the sink. */
    public OutlierState phase() { return phase; }

    /** Records one outcome (any thread). */
    public void record(Outcome outcome) {
        if (detection.isIgnored(outcome)) {
            return;
        }
        if (detection.isFailure(outcome)) {
            if (successStreak.get() != 0) {
                successStreak.set(0);
            }
            int n = consecutive.incrementAndGet();
            if (rate || breaker.getState() != CircuitBreaker.State.CLOSED) {
                breaker.onError(outcome.durationNanos(), TimeUnit.NANOSECONDS, FAILURE);
            }
            CircuitBreaker.State state = breaker.getState();
            boolean halfOpen = state == CircuitBreaker.State.HALF_OPEN || applied == CircuitBreaker.State.HALF_OPEN;
            if (state == CircuitBreaker.State.OPEN ? applied != state && openCause.isEmpty()
                    : halfOpen || n >= detection.consecutiveFailures()) {
                String cause = halfOpen ? "failure while half-open: " + describe(outcome)
                        : n >= detection.consecutiveFailures() ? n + " consecutive failures, last: " + describe(outcome)
                        : rateCause();
                if (state == CircuitBreaker.State.OPEN) {
                    openCause = cause; // the breaker's failure rate opened it
                } else {
                    open(cause);
                }
            }
        } else {
            if (consecutive.get() != 0) {
                consecutive.set(0);
            }
            if (breaker.getState() != CircuitBreaker.State.CLOSED) {
                successStreak.set(0); // a new closed period starts with an empty window
                breaker.onSuccess(outcome.durationNanos(), TimeUnit.NANOSECONDS);
            } else if (rate && !windowAllSuccesses(outcome)) {
                breaker.onSuccess(outcome.durationNanos(), TimeUnit.NANOSECONDS);
                successStreak.incrementAndGet();
            }
        }
        CircuitBreaker.State state = breaker.getState();
        if (state != applied) {
            if (state == CircuitBreaker.State.OPEN && openCause.isEmpty()) {
                openCause = rateCause(); // the window filled up on a success
            }
            if (signalled.compareAndSet(false, true)) {
                signal.accept(this);
            }
        }
    }

    /**
     * Whether the closed breaker's window already holds nothing but fast successes, so that recording this fast
     * success would change nothing (its oldest success replaced by another); the window costs an allocation and a
     * few atomic operations per call, this a volatile read. A success racing with a failure is taken as recorded
     * just before it.
     */
    private boolean windowAllSuccesses(Outcome outcome) {
        return successStreak.get() >= windowCalls && outcome.durationNanos() < slowCallNanos;
    }

    private String rateCause() {
        CircuitBreaker.Metrics m = breaker.getMetrics();
        return String.format(Locale.ROOT, "failure rate %.0f%% of the last %d calls (threshold %d%%)",
                m.getFailureRate(), m.getNumberOfBufferedCalls(), detection.failureRatePercent());
    }

    private void open(String cause) {
        openCause = cause;
        try {
            breaker.transitionToOpenState();
        } catch (IllegalStateTransitionException e) {
            // another thread moved it first; reconcile applies whatever state it is in
        }
    }

    private static String describe(Outcome o) {
        return o.failure() == Outcome.Failure.NONE ? "status " + o.status()
                : o.failure().name().toLowerCase(Locale.ROOT) + " failure";
    }

    /** The sink's answer to an ejection: applied, or refused (max ejection percentage). */
    public interface Sink {
        boolean apply(OutlierTracker tracker, OutlierState state, String reason);
    }

    /**
     * Brings the sink in line with the breaker (detector thread): ejects a server whose breaker opened, returns
     * one whose breaker closed, half-opens one whose ejection time has passed at {@code now}.
     */
    public void reconcile(long now, Sink sink) {
        signalled.set(false);
        successStreak.set(0); // the transitions below reset the breaker's window; recount from here
        CircuitBreaker.State state = breaker.getState();
        if (state == CircuitBreaker.State.OPEN && phase != OutlierState.EJECTED) {
            eject(now, sink);
        } else if (state == CircuitBreaker.State.CLOSED && phase != OutlierState.NORMAL) {
            phase = OutlierState.NORMAL;
            normalSince = now;
            sink.apply(this, OutlierState.NORMAL, detection.halfOpenCalls() + " successful calls while half-open");
        }
        if (phase == OutlierState.EJECTED && now - ejectedUntil >= 0) {
            consecutive.set(0);
            try {
                breaker.transitionToHalfOpenState();
            } catch (IllegalStateTransitionException e) {
                return; // closed or opened meanwhile: the next reconcile sees it
            }
            phase = OutlierState.HALF_OPEN;
            sink.apply(this, OutlierState.HALF_OPEN, "ejection time " + detection.ejectionTime(level)
                    + " over: up to " + detection.halfOpenCalls() + " requests probe it");
        }
        if (phase == OutlierState.NORMAL && level > 0 && now - normalSince >= detection.maxEjectionTime().toNanos()) {
            level = 0; // back in normal use long enough: the next ejection starts from the base time again
        }
        applied = breaker.getState();
    }

    private void eject(long now, Sink sink) {
        String cause = openCause.isEmpty() ? "failure rate at or above " + detection.failureRatePercent() + "%"
                : openCause;
        openCause = "";
        Duration time = detection.ejectionTime(level + 1);
        String reason = cause + "; ejected for " + time + " (ejection " + (level + 1) + ")";
        if (sink.apply(this, OutlierState.EJECTED, reason)) {
            level++;
            ejectedUntil = now + time.toNanos();
            phase = OutlierState.EJECTED;
            return;
        }
        consecutive.set(0);
        breaker.transitionToClosedState();
        if (phase != OutlierState.NORMAL) {
            sink.apply(this, OutlierState.NORMAL, "ejection refused, back in normal use");
        }
        phase = OutlierState.NORMAL;
        normalSince = now;
    }

    @Override
    public String toString() {
        return virtualService + "/" + subService + "/" + server;
    }
}
