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
 * by result, last latency). Part of {@link ServerState}, so it survives reconfiguration with it. Responses and
 * failures are counted in {@link StripedCounters} (a release adds to at most two of them, in the releasing thread's
 * stripe, and allocates nothing), probes in {@link LongAdder}s. Thread-safe.
 */
public final class ServerTraffic {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTraffic.class);
    private static final Outcome.Failure[] FAILURES = Outcome.Failure.values();

    /** Counters 0 for 1xx ... 4 for 5xx, then by {@link Outcome.Failure#ordinal()} from 5 (5 + 0, NONE, unused). */
    private final StripedCounters counters = new StripedCounters(5 + FAILURES.length);
    private final LongAdder probesPassed = new LongAdder();
    private final LongAdder probesFailed = new LongAdder();
    private volatile long lastProbeNanos = -1;
    private volatile ExchangeRecorder recorder = ExchangeRecorder.NONE;
    private final AtomicBoolean recorderFailureLogged = new AtomicBoolean();

    /** Counts one released lease and hands it to the recorder (a recorder that throws is logged, never rethrown). */
    void released(Outcome outcome) {
        int statusClass = outcome.status() / 100;
        if (statusClass >= 1 && statusClass <= 5) {
            counters.add(statusClass - 1, 1);
        }
        Outcome.Failure failure = outcome.failure();
        if (failure != Outcome.Failure.NONE) {
            counters.add(5 + failure.ordinal(), 1);
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
        return statusClass >= 1 && statusClass <= 5 ? counters.sum(statusClass - 1) : 0;
    }

    /** Leases that ended with {@code failure}; 0 for {@link Outcome.Failure#NONE}. */
    public long failures(Outcome.Failure failure) {
        return failure == Outcome.Failure.NONE ? 0 : counters.sum(5 + failure.ordinal());
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
