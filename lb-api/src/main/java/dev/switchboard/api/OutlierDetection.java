package dev.switchboard.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Passive health of one sub-service: how the outcomes that the host reports on leases
 * ({@link Lease#release(Outcome)}) eject a real server from this sub-service only. Immutable and thread-safe;
 * set it with {@link SubService.Builder#outlierDetection(OutlierDetection)} and let a detector (lb-health's
 * {@code OutlierDetector}) hear the outcomes.
 *
 * <pre>{@code
 * OutlierDetection od = OutlierDetection.builder()
 *         .consecutiveFailures(5)                   // 5 failures in a row eject
 *         .failureRate(50, 20, 10)                  // or >= 50 % of the last 20 calls, once 10 were seen
 *         .baseEjectionTime(Duration.ofSeconds(30)) // 30 s, 60 s, 120 s ... on repeated ejections
 *         .maxEjectionTime(Duration.ofMinutes(5))
 *         .maxEjectionPercent(50)                   // never more than half the pool out
 *         .build();
 * }</pre>
 *
 * <p><b>What fails.</b> A connection failure of the kinds in {@link #failures()} (connect errors, timeouts,
 * resets, protocol errors by default) or a response status in the failure statuses (500..599 by default). A
 * cancelled exchange, and a connection failure of a kind not listed, count neither way.
 *
 * <p><b>Ejection and return.</b> {@link #consecutiveFailures()} failures in a row, or a failure rate of at least
 * {@link #failureRatePercent()} over the last {@link #windowCalls()} calls (once {@link #minimumCalls()} were
 * seen), eject the server for {@link #baseEjectionTime()}, doubled on each repeated ejection up to
 * {@link #maxEjectionTime()}. Then it is half-open: it takes at most {@link #halfOpenCalls()} requests at once;
 * that many successes return it, any failure ejects it again for the next, longer time. An ejection that would
 * leave more than {@link #maxEjectionPercent()} of the pool ejected is not made.
 *
 * <p><b>Panic threshold.</b> An ejected server counts as not healthy for the sub-service's minimum of healthy
 * servers and its panic threshold. In panic mode the engine balances across every enabled server, ejected or
 * down ones included: some requests then go to servers known to fail, but the last good ones are not crushed.
 */
public final class OutlierDetection {

    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    public static final int DEFAULT_FAILURE_RATE_PERCENT = 50;
    public static final int DEFAULT_WINDOW_CALLS = 20;
    public static final int DEFAULT_MINIMUM_CALLS = 10;
    public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 50;
    public static final int DEFAULT_HALF_OPEN_CALLS = 3;
    /** The largest count of calls (window, minimum, half-open). */
    public static final int MAX_CALLS = 10_000;
    private static final Set<Outcome.Failure> DEFAULT_FAILURES = Set.copyOf(EnumSet.of(Outcome.Failure.CONNECT,
            Outcome.Failure.TIMEOUT, Outcome.Failure.RESET, Outcome.Failure.PROTOCOL));

    private final int consecutiveFailures;
    private final int failureRatePercent;
    private final int windowCalls;
    private final int minimumCalls;
    private final Duration baseEjectionTime;
    private final Duration maxEjectionTime;
    private final int maxEjectionPercent;
    private final int halfOpenCalls;
    private final Set<Outcome.Failure> failures;
    private final long[] statusBits = new long[10];

    private OutlierDetection(Builder b) {
        consecutiveFailures = b.consecutiveFailures;
        failureRatePercent = b.failureRatePercent;
        windowCalls = b.windowCalls;
        minimumCalls = b.minimumCalls;
        baseEjectionTime = b.baseEjectionTime;
        maxEjectionTime = b.maxEjectionTime;
        maxEjectionPercent = b.maxEjectionPercent;
        halfOpenCalls = b.halfOpenCalls;
        failures = b.failures == null ? DEFAULT_FAILURES : Set.copyOf(b.failures);
        List<Integer> statusRanges = b.statusRanges.isEmpty() ? List.of(500, 599) : b.statusRanges;
        for (int i = 0; i < statusRanges.size(); i += 2) {
            for (int s = statusRanges.get(i); s <= statusRanges.get(i + 1); s++) {
                statusBits[s >>> 6] |= 1L << s;
            }
        }
    }

    /** The defaults: 5 consecutive failures or 50 % of 20 calls, 30 s doubling to 5 min, at most 50 % ejected. */
    public static OutlierDetection ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Failures in a row that eject. */
    public int consecutiveFailures() { return consecutiveFailures; }
    /** Failure rate in percent over the window that ejects; 0 when only consecutive failures count. */
    public int failureRatePercent() { return failureRatePercent; }
    /** The calls of the sliding window of the failure rate. */
    public int windowCalls() { return windowCalls; }
    /** Calls seen before the failure rate counts. */
    public int minimumCalls() { return minimumCalls; }
    /** The first ejection's length. */
    public Duration baseEjectionTime() { return baseEjectionTime; }
    /** The longest ejection. */
    public Duration maxEjectionTime() { return maxEjectionTime; }
    /** The most of the pool that may be ejected at once, in percent (rounded down to whole servers). */
    public int maxEjectionPercent() { return maxEjectionPercent; }
    /** Requests a half-open server takes at once; that many successes return it. */
    public int halfOpenCalls() { return halfOpenCalls; }
    /** The connection failures that count as failures. */
    public Set<Outcome.Failure> failures() { return failures; }

    /**
     * The ejection time after {@code ejections} ejections in a row (1 for the first): the base time doubled
     * {@code ejections - 1} times, at most {@link #maxEjectionTime()}.
     */
    public Duration ejectionTime(int ejections) {
        long nanos = baseEjectionTime.toNanos();
        long max = maxEjectionTime.toNanos();
        for (int i = 1; i < ejections && nanos < max; i++) {
            nanos = nanos > max / 2 ? max : nanos * 2;
        }
        return Duration.ofNanos(Math.min(nanos, max));
    }

    /** Whether {@code status} is a failure status. */
    public boolean isFailureStatus(int status) {
        return status >= 0 && status < 640 && (statusBits[status >>> 6] & 1L << status) != 0;
    }

    /** Whether {@code outcome} is a failure of the server. */
    public boolean isFailure(Outcome outcome) {
        Outcome.Failure f = outcome.failure();
        return f == Outcome.Failure.NONE ? isFailureStatus(outcome.status()) : failures.contains(f);
    }

    /** Whether {@code outcome} counts neither way: cancelled, or a connection failure of a kind not counted. */
    public boolean isIgnored(Outcome outcome) {
        Outcome.Failure f = outcome.failure();
        return f != Outcome.Failure.NONE && !failures.contains(f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutlierDetection d && consecutiveFailures == d.consecutiveFailures
                && failureRatePercent == d.failureRatePercent && windowCalls == d.windowCalls
                && minimumCalls == d.minimumCalls && baseEjectionTime.equals(d.baseEjectionTime)
                && maxEjectionTime.equals(d.maxEjectionTime) && maxEjectionPercent == d.maxEjectionPercent
                && halfOpenCalls == d.halfOpenCalls && failures.equals(d.failures) && Arrays.equals(statusBits,
                d.statusBits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(consecutiveFailures, failureRatePercent, windowCalls, minimumCalls, baseEjectionTime,
                maxEjectionTime, maxEjectionPercent, halfOpenCalls, failures, Arrays.hashCode(statusBits));
    }

    @Override
    public String toString() {
        return "OutlierDetection[" + consecutiveFailures + " consecutive"
                + (failureRatePercent == 0 ? "" : ", " + failureRatePercent + "% of " + windowCalls + " calls (min "
                + minimumCalls + ")") + ", ejection " + baseEjectionTime + ".." + maxEjectionTime + ", max "
                + maxEjectionPercent + "%, half-open " + halfOpenCalls + "]";
    }

    /**
     * Builds an {@link OutlierDetection}. Setters reject null at once; {@link #build()} checks every value and
     * throws one {@link ConfigurationException} naming each bad field ({@code outlierDetection.consecutiveFailures})
     * and its value. Not thread-safe.
     */
    public static final class Builder {
        private int consecutiveFailures = DEFAULT_CONSECUTIVE_FAILURES;
        private int failureRatePercent = DEFAULT_FAILURE_RATE_PERCENT;
        private int windowCalls = DEFAULT_WINDOW_CALLS;
        private int minimumCalls = DEFAULT_MINIMUM_CALLS;
        private Duration baseEjectionTime = DEFAULT_BASE_EJECTION_TIME;
        private Duration maxEjectionTime = DEFAULT_MAX_EJECTION_TIME;
        private int maxEjectionPercent = DEFAULT_MAX_EJECTION_PERCENT;
        private int halfOpenCalls = DEFAULT_HALF_OPEN_CALLS;
        private Set<Outcome.Failure> failures;
        private final List<Integer> statusRanges = new ArrayList<>();

        private Builder() {
        }

        /** Failures in a row that eject; 1 or more, 5 by default. */
        public Builder consecutiveFailures(int count) {
            this.consecutiveFailures = count;
            return this;
        }

        /**
         * Ejects when at least {@code percent} of the last {@code windowCalls} calls failed, once
         * {@code minimumCalls} were seen; 50 % of 20, minimum 10 by default. A percent of 0 turns it off.
         */
        public Builder failureRate(int percent, int windowCalls, int minimumCalls) {
            this.failureRatePercent = percent;
            this.windowCalls = windowCalls;
            this.minimumCalls = minimumCalls;
            return this;
        }

        /**
     * Only consecutive failures eject. Cheaper on the request path: lb-health's detector then keeps no sliding
     * window of calls (no allocation per release).
     */
        public Builder noFailureRate() {
            this.failureRatePercent = 0;
            return this;
        }

        /** The first ejection's length; 1 ms..1 h, 30 s by default. */
        public Builder baseEjectionTime(Duration time) {
            this.baseEjectionTime = Objects.requireNonNull(time, "baseEjectionTime");
            return this;
        }

        /** The longest ejection; base ejection time..24 h, 5 min by default. */
        public Builder maxEjectionTime(Duration time) {
            this.maxEjectionTime = Objects.requireNonNull(time, "maxEjectionTime");
            return this;
        }

        /** The most of the pool ejected at once, 1..100 percent (50 by default), rounded down to whole servers. */
        public Builder maxEjectionPercent(int percent) {
            this.maxEjectionPercent = percent;
            return this;
        }

        /** Requests a half-open server takes at once, and the successes that return it; 1 or more, 3 by default. */
        public Builder halfOpenCalls(int calls) {
            this.halfOpenCalls = calls;
            return this;
        }

        /** The connection failures that count (replaces the default CONNECT, TIMEOUT, RESET, PROTOCOL). */
        public Builder failures(Outcome.Failure... kinds) {
            EnumSet<Outcome.Failure> set = EnumSet.noneOf(Outcome.Failure.class);
            for (Outcome.Failure k : kinds) {
                set.add(Objects.requireNonNull(k, "failure"));
            }
            this.failures = set;
            return this;
        }

        /** Statuses {@code from..to} count as failures (the first call replaces the default 500..599). */
        public Builder failureStatuses(int from, int to) {
            statusRanges.add(from);
            statusRanges.add(to);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws ConfigurationException listing every bad field with its value
         */
        public OutlierDetection build() {
            Problems p = new Problems();
            String at = "outlierDetection.";
            if (consecutiveFailures < 1) {
                p.add(at + "consecutiveFailures", consecutiveFailures + " (expected: >= 1)");
            }
            if (failureRatePercent < 0 || failureRatePercent > 100) {
                p.add(at + "failureRatePercent", failureRatePercent + " (expected: 0..100, 0 for off)");
            }
            if (windowCalls < 1 || windowCalls > MAX_CALLS) {
                p.add(at + "windowCalls", windowCalls + " (expected: 1.." + MAX_CALLS + ")");
            }
            if (minimumCalls < 1 || minimumCalls > windowCalls) {
                p.add(at + "minimumCalls", minimumCalls + " (expected: 1..windowCalls (" + windowCalls + "))");
            }
            if (baseEjectionTime.compareTo(Duration.ofMillis(1)) < 0 || baseEjectionTime.compareTo(
                    Duration.ofHours(1)) > 0) {
                p.add(at + "baseEjectionTime", baseEjectionTime + " (expected: 1ms..1h)");
            }
            if (maxEjectionTime.compareTo(baseEjectionTime) < 0 || maxEjectionTime.compareTo(Duration.ofHours(24)) > 0) {
                p.add(at + "maxEjectionTime", maxEjectionTime + " (expected: baseEjectionTime (" + baseEjectionTime
                        + ")..24h)");
            }
            if (maxEjectionPercent < 1 || maxEjectionPercent > 100) {
                p.add(at + "maxEjectionPercent", maxEjectionPercent + " (expected: 1..100)");
            }
            if (halfOpenCalls < 1 || halfOpenCalls > MAX_CALLS) {
                p.add(at + "halfOpenCalls", halfOpenCalls + " (expected: 1.." + MAX_CALLS + ")");
            }
            if (failures != null && (failures.contains(Outcome.Failure.NONE)
                    || failures.contains(Outcome.Failure.CANCELLED))) {
                p.add(at + "failures", failures + " (expected: some of CONNECT, TIMEOUT, RESET, PROTOCOL)");
            }
            for (int i = 0; i < statusRanges.size(); i += 2) {
                int from = statusRanges.get(i);
                int to = statusRanges.get(i + 1);
                if (from < 100 || to > 599 || from > to) {
                    p.add(at + "failureStatuses[" + i / 2 + "]", from + ".." + to
                            + " (expected: codes in 100..599, from <= to)");
                }
            }
            p.throwIfAny();
            return new OutlierDetection(this);
        }
    }
}
