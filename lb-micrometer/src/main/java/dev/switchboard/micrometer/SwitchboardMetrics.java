package dev.switchboard.micrometer;

import dev.switchboard.api.spi.ExchangeRecorder;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.LiveRealServer;
import dev.switchboard.engine.LiveStats;
import dev.switchboard.engine.LiveSubService;
import dev.switchboard.engine.LiveVirtualService;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a {@link DispatchEngine}'s statistics with a Micrometer {@link MeterRegistry}: per virtual service,
 * sub-service and real server, the requests, responses by status class, the engine's own answers, failures by kind,
 * active, waiting and rejected requests, bytes, health, admin and outlier states, persistence entries, hits and
 * misses, redispatches, ejections, active probes, and two latency timers per real server (time to first byte, total
 * time) with the percentiles and SLO buckets of the {@link Builder}. Names are in {@link MeterNames}; tags are the
 * configured names only ({@code virtual_service}, {@code sub_service}, {@code real_server}, and a small fixed set of
 * values such as {@code class="5xx"}), never a path or a client.
 *
 * <p>Counters and gauges are function meters reading the engine's own striped counters at scrape time, so the
 * request path pays nothing for them; only the two timers record on each release (through the engine's
 * {@link ExchangeRecorder} hook, without allocating). After each reconfiguration the meters of entries that keep
 * their names stay (and keep counting), those of removed entries are removed and those of new ones added.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * SwitchboardMetrics metrics = SwitchboardMetrics.builder(engine)
 *         .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(1))
 *         .percentiles(0.5, 0.99)
 *         .build();
 * metrics.bindTo(registry);      // once; close() unbinds
 * }</pre>
 *
 * <p>Thread-safe. One binding per engine at a time ({@link #bindTo} throws {@link IllegalStateException} for a
 * second registry or a second binder: use a {@code CompositeMeterRegistry} to publish to several).
 */
public final class SwitchboardMetrics implements MeterBinder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchboardMetrics.class);

    /** The default SLO buckets of both timers: 5 ms .. 10 s, Prometheus' default histogram buckets. */
    public static final List<Duration> DEFAULT_SLOS = List.of(Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    /** How the timers publish their distribution. */
    record Histograms(List<Duration> serviceLevelObjectives, List<Double> percentiles, boolean percentileHistogram,
            boolean enabled) {

        /** The SLOs as bucket bounds in nanoseconds, ascending, without duplicates. */
        long[] boundsNanos() {
            return serviceLevelObjectives.stream().mapToLong(Duration::toNanos).sorted().distinct().toArray();
        }

        /** The SLOs as bucket bounds, ascending, without duplicates. */
        List<Duration> bounds() {
            return Arrays.stream(boundsNanos()).mapToObj(Duration::ofNanos).toList();
        }
    }

    private final DispatchEngine engine;
    private final Histograms histograms;
    private final Runnable onSwap = this::sync;
    private final Map<String, List<Meter>> entries = new HashMap<>(); // guarded by this
    private final Map<String, LiveRealServer> servers = new HashMap<>(); // guarded by this
    private final Map<String, LatencyTimers> timers = new ConcurrentHashMap<>();
    private final LatencySnapshot emptyLatency;
    private MeterRegistry registry; // guarded by this

    private SwitchboardMetrics(Builder b) {
        this.engine = b.engine;
        this.histograms = new Histograms(List.copyOf(b.slos), List.copyOf(b.percentiles), b.percentileHistogram,
                b.latencyTimers);
        this.emptyLatency = LatencySnapshot.empty(histograms.bounds());
    }

    /** A binder with the default histograms ({@link #DEFAULT_SLOS}, no percentiles). */
    public static SwitchboardMetrics of(DispatchEngine engine) {
        return builder(engine).build();
    }

    public static Builder builder(DispatchEngine engine) {
        return new Builder(engine);
    }

    /**
     * Registers the meters of every entry in force and keeps them in step with reconfigurations until
     * {@link #close}.
     *
     * @throws IllegalStateException when this binder is bound already, or the engine has another binding
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (this) {
            if (this.registry != null) {
                throw new IllegalStateException("bound already; use a CompositeMeterRegistry to publish to several");
            }
            this.registry = registry;
        }
        LiveStats live = engine.liveStats();
        try {
            if (histograms.enabled()) {
                live.recorders(this::recorder);
            }
        } catch (IllegalStateException e) {
            synchronized (this) {
                this.registry = null;
            }
            throw e;
        }
        live.addSwapListener(onSwap);
        sync();
    }

    private ExchangeRecorder recorder(String virtualService, String subService, String server) {
        MeterRegistry r;
        synchronized (this) {
            r = registry;
        }
        if (r == null) {
            return ExchangeRecorder.NONE;
        }
        LatencyTimers t = LatencyTimers.register(r, histograms, virtualService, subService, server);
        timers.put(key(virtualService, subService, server), t);
        return t;
    }

    /** Adds the meters of new entries and removes those of entries that are gone; kept entries keep theirs. */
    private synchronized void sync() {
        if (registry == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (LiveVirtualService vs : engine.liveStats().virtualServices()) {
            String vsKey = key(vs.name());
            seen.add(vsKey);
            entries.computeIfAbsent(vsKey, k -> ServiceMeters.register(registry, vs));
            for (LiveSubService sub : vs.subServices()) {
                String subKey = key(vs.name(), sub.name());
                seen.add(subKey);
                entries.computeIfAbsent(subKey, k -> ServiceMeters.register(registry, sub));
                for (LiveRealServer rs : sub.realServers()) {
                    String rsKey = key(vs.name(), sub.name(), rs.name());
                    seen.add(rsKey);
                    LiveRealServer known = servers.get(rsKey);
                    if (known != null && !known.sameStateAs(rs)) {
                        remove(rsKey, false); // replaced (removed and added again between two syncs): count afresh
                    }
                    if (!entries.containsKey(rsKey)) {
                        entries.put(rsKey, ServerMeters.register(registry, rs));
                        servers.put(rsKey, rs);
                    }
                }
            }
        }
        for (String gone : new ArrayList<>(entries.keySet())) {
            if (!seen.contains(gone)) {
                remove(gone, true);
            }
        }
        LOG.debug("metrics in step with the configuration: {} entries", entries.size());
    }

    /**
     * Removes the function meters of {@code key}, and its timers when {@code withTimers} (not for a server replaced
     * under the same name: its new recorder records into the same timers, which the registry handed out again).
     * Timers of a server added after this sync read the table are not in {@code entries} yet and so stay.
     */
    private void remove(String key, boolean withTimers) {
        List<Meter> meters = entries.remove(key);
        servers.remove(key);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
        LatencyTimers t = withTimers ? timers.remove(key) : null;
        if (t != null) {
            t.meters().forEach(registry::remove);
        }
    }

    private static String key(String... parts) {
        return String.join("\u0000", parts);
    }

    /**
     * The total time (request start to lease release) of one real server in one sub-service so far: cumulative
     * bucket counts at the configured {@link Builder#serviceLevelObjectives} bounds, count and sum, the figures of
     * its {@code switchboard_request_duration_seconds} histogram. Counting starts when the server is first seen
     * while bound; a server removed and added again counts afresh. Reads the striped counters (no lock; a few
     * hundred bytes allocated per call).
     *
     * @return the histogram, or an empty one (zero counts, the configured bounds) for a server not in force, while
     *     unbound, or with {@code latencyTimers(false)}
     */
    public LatencySnapshot latency(String virtualService, String subService, String server) {
        LatencyTimers t = timers.get(key(virtualService, subService, server));
        return t == null ? emptyLatency : t.duration();
    }

    /** As {@link #latency(String, String, String)}, for the time to first byte (leases with a response only). */
    public LatencySnapshot timeToFirstByte(String virtualService, String subService, String server) {
        LatencyTimers t = timers.get(key(virtualService, subService, server));
        return t == null ? emptyLatency : t.firstByte();
    }

    /**
     * The total time of a sub-service: its servers' histograms merged ({@link LatencySnapshot#plus}). A server that
     * leaves takes its counts with it ({@link LatencySnapshot#minus} then treats the drop as a reset).
     *
     * @return the merged histogram, or an empty one as {@link #latency(String, String, String)}
     */
    public LatencySnapshot latency(String virtualService, String subService) {
        LatencySnapshot sum = emptyLatency;
        for (LatencyTimers t : timers.values()) {
            if (t.virtualService.equals(virtualService) && t.subService.equals(subService)) {
                sum = sum.plus(t.duration());
            }
        }
        return sum;
    }

    /** As {@link #latency(String, String)}, for the time to first byte. */
    public LatencySnapshot timeToFirstByte(String virtualService, String subService) {
        LatencySnapshot sum = emptyLatency;
        for (LatencyTimers t : timers.values()) {
            if (t.virtualService.equals(virtualService) && t.subService.equals(subService)) {
                sum = sum.plus(t.firstByte());
            }
        }
        return sum;
    }

    /** Removes every meter this binder registered and stops recording; the engine keeps counting. */
    @Override
    public void close() {
        LiveStats live = engine.liveStats();
        live.removeSwapListener(onSwap);
        synchronized (this) {
            if (registry == null) {
                return;
            }
        }
        if (histograms.enabled()) {
            live.clearRecorders(); // outside this binder's lock: the engine calls recorder() under its own
        }
        synchronized (this) {
            if (registry == null) {
                return;
            }
            for (String k : new ArrayList<>(entries.keySet())) {
                remove(k, true);
            }
            timers.values().forEach(t -> t.meters().forEach(registry::remove));
            timers.clear();
            registry = null;
        }
    }

    /** Builds a {@link SwitchboardMetrics}. Not thread-safe. */
    public static final class Builder {
        private final DispatchEngine engine;
        private List<Duration> slos = DEFAULT_SLOS;
        private List<Double> percentiles = List.of();
        private boolean percentileHistogram;
        private boolean latencyTimers = true;

        private Builder(DispatchEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /**
         * The bucket bounds of both timers (a Prometheus histogram's {@code le}); {@link #DEFAULT_SLOS} unless set;
         * {@code serviceLevelObjectives()} for none (the timers then publish count, sum, max and any percentiles).
         *
         * @throws IllegalArgumentException naming a bound that is not positive
         */
        public Builder serviceLevelObjectives(Duration... bounds) {
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < bounds.length; i++) {
                if (bounds[i] == null || bounds[i].isNegative() || bounds[i].isZero()) {
                    problems.add("serviceLevelObjectives[" + i + "]: " + bounds[i]
                            + " (expected: a positive duration)");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            this.slos = List.of(bounds);
            return this;
        }

        /**
         * Percentiles computed in the process and published with a {@code quantile} tag (not aggregatable across
         * instances; prefer buckets for that); none unless set. A Prometheus registry publishes them only for a
         * timer without buckets (a summary): set {@code serviceLevelObjectives()} with no bounds to get them there.
         *
         * @throws IllegalArgumentException naming a percentile outside 0..1
         */
        public Builder percentiles(double... percentiles) {
            List<String> problems = new ArrayList<>();
            List<Double> list = new ArrayList<>();
            for (int i = 0; i < percentiles.length; i++) {
                if (!(percentiles[i] >= 0 && percentiles[i] <= 1)) {
                    problems.add("percentiles[" + i + "]: " + percentiles[i] + " (expected: 0..1)");
                }
                list.add(percentiles[i]);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            this.percentiles = List.copyOf(list);
            return this;
        }

        /** Whether the timers also publish Micrometer's own fine-grained bucket set (about 70 buckets each). */
        public Builder percentileHistogram(boolean enabled) {
            this.percentileHistogram = enabled;
            return this;
        }

        /**
         * Whether to register the two latency timers per real server (default true). They are the only meters that
         * record on the request path (each release records both, see docs/benchmarks.md for the cost); without
         * them every meter is read at scrape time and the request path pays nothing for metrics.
         */
        public Builder latencyTimers(boolean enabled) {
            this.latencyTimers = enabled;
            return this;
        }

        public SwitchboardMetrics build() {
            return new SwitchboardMetrics(this);
        }
    }
}
