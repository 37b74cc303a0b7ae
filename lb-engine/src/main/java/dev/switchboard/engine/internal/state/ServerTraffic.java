package dev.switchboard.engine.internal.state;

import dev.switchboard.api.Outcome;
import dev.switchboard.api.spi.ExchangeRecorder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the leases of one real server in one sub-service ended with, for statistics and metrics: responses by status
 * class, connection failures by kind, the {@link ExchangeRecorder} of a metrics library, and the active probes (count
 * by result, last latency). Part of {@link ServerState}, so it survives reconfiguration with it. Counters are
 * striped ({@link LongAdder}); a release adds to at most two of them and allocates nothing. Thread-safe.
 */
public final class ServerTraffic {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTraffic.class);
    private static final Outcome.Failure[] FAILURES = Outcome.Failure.values();

    /** Index 0 for 1xx ... 4 for 5xx. */
    private final LongAdder[] responses = adders(5);
    /** By {@link Outcome.Failure#ordinal()}; index 0 (NONE) unused. */
    private final LongAdder[] failures = adders(FAILURES.length);
    private final LongAdder probesPassed = new LongAdder();
    private final LongAdder probesFailed = new LongAdder();
    private volatile long lastProbeNanos = -1;
    private volatile ExchangeRecorder recorder = ExchangeRecorder.NONE;
    private final AtomicBoolean recorderFailureLogged = new AtomicBoolean();

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** Counts one released lease and hands it to the recorder (a recorder that throws is logged, never rethrown). */
    void released(Outcome outcome) {
        int statusClass = outcome.status() / 100;
        if (statusClass >= 1 && statusClass <= 5) {
            responses[statusClass - 1].increment();
        }
        Outcome.Failure failure = outcome.failure();
        if (failure != Outcome.Failure.NONE) {
            failures[failure.ordinal()].increment();
        }
        ExchangeRecorder r = recorder;
        if (r != ExchangeRecorder.NONE) {
            try {
                r.record(outcome);
            } catch (RuntimeException e) {
                if (recorderFailureLogged.compareAndSet(false, true)) {
                    LOG.warn("exchange recorder {} threw; ignored (logged once)", r, e);
                } else {
                    LOG.debug("exchange recorder {} threw: {}", r, e.toString());
                }
            }
        }
    }

    /** Responses with a status in {@code statusClass}xx (1..5); 0 for any other class. */
    public long responses(int statusClass) {
        return statusClass >= 1 && statusClass <= 5 ? responses[statusClass - 1].sum() : 0;
    }

    /** Leases that ended with {@code failure}; 0 for {@link Outcome.Failure#NONE}. */
    public long failures(Outcome.Failure failure) {
        return failure == Outcome.Failure.NONE ? 0 : failures[failure.ordinal()].sum();
    }

    /** Replaces the recorder ({@link ExchangeRecorder#NONE} for none). */
    public void recorder(ExchangeRecorder recorder) {
        this.recorder = recorder;
    }

    public ExchangeRecorder recorder() {
        return recorder;
    }

    /** Counts one active probe and keeps its latency as the last one. */
    public void probed(boolean passed, long latencyNanos) {
        (passed ? probesPassed : probesFailed).increment();
        lastProbeNanos = Math.max(0, latencyNanos);
    }

    /** Active probes that passed (true) or failed (false). */
    public long probes(boolean passed) {
        return (passed ? probesPassed : probesFailed).sum();
    }

    /** The latency of the last active probe in nanoseconds; -1 before the first. */
    public long lastProbeNanos() {
        return lastProbeNanos;
    }
}
