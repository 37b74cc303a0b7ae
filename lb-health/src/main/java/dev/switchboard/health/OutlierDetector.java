package dev.switchboard.health;

import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.OutlierState;
import dev.switchboard.api.spi.HealthSink;
import dev.switchboard.api.spi.OutcomeListener;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.health.internal.OutlierTracker;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health: hears the outcome of every lease in the sub-services that configure
 * {@link OutlierDetection}, and ejects a real server from that sub-service only when its real traffic fails —
 * consecutive failures, or a failure rate over a sliding window — through {@link HealthSink#setOutlierState}. The
 * ejection lasts the base ejection time, doubled on each repeated ejection up to the maximum; then the server is
 * half-open (a few requests probe it): that many successes return it, a failure ejects it again for longer. The
 * sink (the engine) combines the ejection with the active verdict and refuses ejections beyond the maximum
 * ejection percentage. Each (virtual service, sub-service, real server) has its own resilience4j circuit breaker.
 *
 * <pre>{@code
 * DispatchEngine engine = DispatchEngine.create(model);        // sub-services with .outlierDetection(...)
 * OutlierDetector detector = OutlierDetector.builder(engine).build();
 * engine.setOutcomeListener(detector);
 * ...
 * lease.release(Outcome.ofStatus(503, elapsedNanos));           // counts against that server in that sub-service
 * }</pre>
 *
 * <p>Thread-safety: {@link #onOutcome} runs on the host's threads and takes no lock (resilience4j's lock-free
 * sliding window). Its only allocation is resilience4j's window, about 200 bytes per call while a failure rate is
 * configured; with {@code noFailureRate()} a closed breaker is not fed and a call allocates nothing. Decisions (ejection, half-open, return) are applied one at a time on the detector's own daemon thread,
 * which also checks every {@code interval} whether an ejection has ended (on the injected {@link Ticker}). A sink
 * that throws is logged at WARN and counts as a refusal. State changes are logged at INFO with the reason.
 */
public final class OutlierDetector implements OutcomeListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private final HealthSink sink;
    private final Ticker ticker;
    private final ScheduledExecutorService thread;
    private final Map<String, Map<String, Map<String, OutlierTracker>>> trackers = new ConcurrentHashMap<>();

    private OutlierDetector(Builder b) {
        this.sink = b.sink;
        this.ticker = b.ticker;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-outliers");
            t.setDaemon(true);
            return t;
        });
        long interval = b.interval.toNanos();
        thread.scheduleWithFixedDelay(this::pass, interval, interval, TimeUnit.NANOSECONDS);
    }

    /** A builder reporting to {@code sink} (the engine). */
    public static Builder builder(HealthSink sink) {
        return new Builder(sink);
    }

    @Override
    public void onOutcome(String virtualService, String subService, String server, OutlierDetection detection,
            Outcome outcome) {
        tracker(virtualService, subService, server, detection).record(outcome);
    }

    private OutlierTracker tracker(String vs, String sub, String server, OutlierDetection detection) {
        Map<String, Map<String, OutlierTracker>> subs = trackers.get(vs);
        if (subs == null) {
            subs = trackers.computeIfAbsent(vs, k -> new ConcurrentHashMap<>());
        }
        Map<String, OutlierTracker> servers = subs.get(sub);
        if (servers == null) {
            servers = subs.computeIfAbsent(sub, k -> new ConcurrentHashMap<>());
        }
        OutlierTracker t = servers.get(server);
        if (t != null && (t.detection() == detection || t.detection().equals(detection))) {
            return t;
        }
        // a new server, or its sub-service was reconfigured with another detection: start afresh
        OutlierTracker[] replaced = new OutlierTracker[1];
        OutlierTracker current = servers.compute(server, (k, old) -> {
            if (old != null && old.detection().equals(detection)) {
                return old;
            }
            replaced[0] = old;
            return new OutlierTracker(vs, sub, server, detection, this::signal);
        });
        OutlierTracker old = replaced[0];
        if (old != null) {
            execute(() -> {
                if (old.phase() != OutlierState.NORMAL) {
                    apply(old, OutlierState.NORMAL, "outlier detection reconfigured: " + detection);
                }
            });
        }
        return current;
    }

    private void execute(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("outlier detector closed, task dropped");
        }
    }

    private void signal(OutlierTracker t) {
        execute(() -> reconcile(t));
    }

    private void reconcile(OutlierTracker t) {
        try {
            t.reconcile(ticker.read(), this::apply);
        } catch (RuntimeException e) {
            log.warn("outlier detection of {} failed; ignored", t, e);
        }
    }

    private void pass() {
        for (Map<String, Map<String, OutlierTracker>> subs : trackers.values()) {
            for (Map<String, OutlierTracker> servers : subs.values()) {
                servers.values().forEach(this::reconcile);
            }
        }
    }

    private boolean apply(OutlierTracker t, OutlierState state, String reason) {
        boolean applied;
        try {
            applied = sink.setOutlierState(t.virtualService(), t.subService(), t.server(), state, reason);
        } catch (RuntimeException e) {
            log.warn("outlier detection {}: sink failed on {}; counted as refused", t, state.configName(), e);
            applied = false;
        }
        if (applied) {
            log.info("outlier detection {}: {} ({})", t, state.configName(), reason);
        } else {
            log.info("outlier detection {}: {} not applied by the sink ({})", t, state.configName(), reason);
        }
        return applied;
    }

    /** The state this detector last applied to a server, once it has heard an outcome of it. */
    public Optional<OutlierState> findOutlierState(String virtualService, String subService, String server) {
        return Optional.ofNullable(trackers.getOrDefault(virtualService, Map.of()).getOrDefault(subService, Map.of())
                .get(server)).map(OutlierTracker::phase);
    }

    /**
     * Runs a pass on the detector's thread now, after every decision already pending: applies ejections and returns
     * whose time has come on the ticker. The future completes when the pass has run (at once, exceptionally,
     * after {@link #close()}). The detector runs this itself every interval; tests call it after moving a ticker.
     */
    public CompletableFuture<Void> checkNow() {
        try {
            return CompletableFuture.runAsync(this::pass, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Stops the detector's thread; outcomes heard later are still counted but change nothing. Idempotent. */
    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** Builds an {@link OutlierDetector}. Not thread-safe. */
    public static final class Builder {
        private final HealthSink sink;
        private Ticker ticker = Ticker.system();
        private Duration interval = Duration.ofSeconds(1);

        private Builder(HealthSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** The clock of ejection times; {@link Ticker#system()} unless set. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * How often the detector checks whether ejections have ended; 1 s by default, so an ejection lasts up to
         * this much longer than its time.
         *
         * @throws IllegalArgumentException when not in 1 ms..1 h
         */
        public Builder interval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("interval: " + interval + " (expected: 1ms..1h)");
            }
            this.interval = interval;
            return this;
        }

        public OutlierDetector build() {
            return new OutlierDetector(this);
        }
    }
}
