package dev.switchboard.examples.gateway.admin;

import dev.switchboard.engine.EngineStats;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.engine.SubServiceStats;
import dev.switchboard.engine.VirtualServiceStats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Samples the engine's counters for the stats page: each {@link #run()} reads one stats snapshot and adds, per
 * virtual service, sub-service and real server, its request and error totals to a {@link RateHistory} (the current
 * rate, the maximum over the last minute, the sparkline), and notes when a server's health or a sub-service's state
 * was first seen as it is now (the "since" of the status). Entries whose names are gone after a reconfiguration are
 * dropped at the next sample, so memory is bounded by the model's size times the rings' fixed capacity.
 *
 * <pre>{@code
 * StatsSampler sampler = new StatsSampler(Clock.systemUTC(), engine::stats, StatsSampler.DEFAULT_INTERVAL);
 * scheduler.scheduleAtFixedRate(sampler, 0, 1, TimeUnit.SECONDS);
 * double now = sampler.findRates(SampleKey.of("mail", "owa")).map(RateHistory::currentRate).orElse(0.0);
 * }</pre>
 *
 * <p>Thread-safe: one thread samples (a scheduled task), any thread reads. Errors are failures (a connection
 * failure or a 5xx) and, for a sub-service, its own 503 answers; a virtual service adds its sub-services' errors.
 */
final class StatsSampler implements Runnable {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    static final Duration SPARK_INTERVAL = Duration.ofSeconds(10);
    static final Duration SPARK_WINDOW = Duration.ofMinutes(15);

    /** A state and when it was first seen; {@code observed}: seen to change, not merely found at the first sample. */
    record Since(String state, Instant since, boolean observed) {
    }

    private final Clock clock;
    private final Supplier<EngineStats> source;
    private final Duration interval;
    private final LatencySource latencies;
    private final Map<SampleKey, RateHistory> rates = new ConcurrentHashMap<>();
    private final Map<SampleKey, Since> states = new ConcurrentHashMap<>();

    /**
     * @param clock    the time of each sample (a fake one in tests)
     * @param source   the engine's stats, read once per sample
     * @param interval how often {@link #run()} is scheduled (sizes the minute's ring)
     */
    StatsSampler(Clock clock, Supplier<EngineStats> source, Duration interval) {
        this(clock, source, interval, LatencySource.NONE);
    }

    /** As the other constructor, and {@code latencies} hears every sample too (its window moves with them). */
    StatsSampler(Clock clock, Supplier<EngineStats> source, Duration interval, LatencySource latencies) {
        this.clock = clock;
        this.source = source;
        this.interval = interval;
        this.latencies = latencies;
    }

    /** Takes one sample now: reads the stats and the clock once. */
    @Override
    public void run() {
        sample(source.get(), clock.instant());
    }

    /** The interval the sampler is scheduled at. */
    Duration interval() {
        return interval;
    }

    /** The clock samples are timed by (the page's "now", so that ages agree with it). */
    Instant now() {
        return clock.instant();
    }

    void sample(EngineStats stats, Instant now) {
        Set<SampleKey> seen = new HashSet<>();
        for (VirtualServiceStats vs : stats.virtualServices()) {
            long vsErrors = 0;
            for (SubServiceStats sub : vs.subServices()) {
                long subErrors = sub.rejected();
                for (RealServerStats r : sub.realServers()) {
                    SampleKey key = new SampleKey(vs.name(), sub.name(), r.name());
                    add(key, now, r.totalRequests(), r.failures(), seen);
                    note(key, r.health().configName(), now);
                    subErrors += r.failures();
                }
                SampleKey key = SampleKey.of(vs.name(), sub.name());
                add(key, now, sub.totalRequests(), subErrors, seen);
                note(key, sub.state(), now);
                vsErrors += subErrors;
            }
            add(SampleKey.of(vs.name()), now, vs.totalRequests(), vsErrors, seen);
        }
        rates.keySet().retainAll(seen);
        states.keySet().retainAll(seen);
        latencies.sample(stats, now);
    }

    private void add(SampleKey key, Instant now, long requests, long errors, Set<SampleKey> seen) {
        seen.add(key);
        rates.computeIfAbsent(key, k -> new RateHistory(interval, SPARK_INTERVAL, SPARK_WINDOW))
                .add(now, requests, errors);
    }

    private void note(SampleKey key, String state, Instant now) {
        Since was = states.get(key);
        if (was == null) {
            states.put(key, new Since(state, now, false));
        } else if (!was.state().equals(state)) {
            states.put(key, new Since(state, now, true));
        }
    }

    /** The rates of one entry, once it was sampled; empty after its name went away. */
    Optional<RateHistory> findRates(SampleKey key) {
        return Optional.ofNullable(rates.get(key));
    }

    /** Since when one server's health (or one sub-service's state) is what it is, as far as the samples saw. */
    Optional<Since> findSince(SampleKey key) {
        return Optional.ofNullable(states.get(key));
    }

    /** How many entries are tracked (memory is this times a fixed ring size). */
    int size() {
        return rates.size();
    }
}
