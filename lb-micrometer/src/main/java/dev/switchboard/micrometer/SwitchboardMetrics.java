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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a {@link DispatchEngine}'s statistics with a Micrometer {@link MeterRegistry}: per virtual service,
 * sub-service and real server, the requests, responses by status class, the engine's own answers, failures by kind,
 * active, waiting and rejected requests, bytes, health, admin and outlier states, persistence entries, hits and
 * misses, redispatches, ejections, active probes, pre-authentication logins by result, lockouts and challenges, and
 * two latency histograms per real server (time to first byte, total time) with the SLO buckets (and percentiles) of
 * the {@link Builder}. Names are in {@link MeterNames}; tags
 * are the configured names only ({@code virtual_service}, {@code sub_service}, {@code real_server}, and a small
 * fixed set of values such as {@code class="5xx"}), never a path or a client.
 *
 * <p>Counters and gauges are function meters reading the engine's own striped counters at scrape time, so the
 * request path pays nothing for them. Each release records its two latencies (through the engine's
 * {@link ExchangeRecorder} hook) into striped fixed-bucket histograms of this binder: two atomic adds each, no
 * clock, no allocation; {@link #latency} and {@link #latencies} read them. A {@link LatencyPublisher} for the
 * registry (lb-micrometer-prometheus has one for {@code PrometheusMeterRegistry}) publishes them at scrape time;
 * for any other registry, or with percentiles, the release records into Micrometer timers too, which costs more.
 * After each reconfiguration the meters of entries that keep their names stay (and keep counting), those of
 * removed entries are removed and those of new ones added.
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

    private final DispatchEngine engine;
    private final Histograms histograms;
    private final Runnable onSwap = this::sync;
    private final Map<String, List<Meter>> entries = new HashMap<>(); // guarded by this
    private final Map<String, LiveRealServer> servers = new HashMap<>(); // guarded by this
    private final ServerLatencies latencies;
    private MeterRegistry registry; // guarded by this
    private boolean timed; // guarded by this: record into Micrometer timers (no publisher for the registry)
    private AutoCloseable publication = () -> { }; // guarded by this

    private SwitchboardMetrics(Builder b) {
        this.engine = b.engine;
        this.histograms = new Histograms(List.copyOf(b.slos), List.copyOf(b.percentiles), b.percentileHistogram,
                b.latencyTimers, b.micrometerTimers);
        this.latencies = new ServerLatencies(histograms);
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
     * {@link #close}. The latency histograms go through a {@link LatencyPublisher} that supports the registry when
     * there is one (and neither percentiles nor a percentile histogram are asked for), else into Micrometer timers.
     *
     * @throws IllegalStateException when this binder is bound already, or the engine has another binding
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Optional<LatencyPublisher> publisher = histograms.enabled() && histograms.publishable()
                ? findPublisher(registry) : Optional.empty();
        synchronized (this) {
            if (this.registry != null) {
                throw new IllegalStateException("bound already; use a CompositeMeterRegistry to publish to several");
            }
            this.registry = registry;
            this.timed = publisher.isEmpty();
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
        if (publisher.isPresent()) {
            try {
                AutoCloseable p = publisher.get().publish(registry, this);
                synchronized (this) {
                    publication = p;
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        live.addSwapListener(onSwap);
        sync();
    }

    private static Optional<LatencyPublisher> findPublisher(MeterRegistry registry) {
        try {
            for (LatencyPublisher p : ServiceLoader.load(LatencyPublisher.class,
                    SwitchboardMetrics.class.getClassLoader())) {
                if (p.supports(registry)) {
                    LOG.debug("latency histograms published by {}", p.getClass().getName());
                    return Optional.of(p);
                }
            }
        } catch (ServiceConfigurationError | RuntimeException e) {
            LOG.warn("latency publishers could not be loaded; recording into Micrometer timers", e);
        }
        return Optional.empty();
    }

    private ExchangeRecorder recorder(String virtualService, String subService, String server) {
        MeterRegistry r;
        boolean t;
        synchronized (this) {
            r = registry;
            t = timed;
        }
        if (r == null) {
            return ExchangeRecorder.NONE;
        }
        return latencies.recorder(r, t, key(virtualService, subService, server), virtualService, subService, server);
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
            String authKey = key(vs.name(), "", "auth"); // an entry of its own: a reload may turn it on or off
            if (vs.authenticates() && seen.add(authKey)) {
                entries.computeIfAbsent(authKey, k -> ServiceMeters.registerAuthentication(registry, vs));
            }
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
     * Removes the function meters of {@code key}, and its latencies when {@code withLatencies} (not for a server
     * replaced under the same name: the engine gave it a new recorder already). Latencies of a server added after
     * this sync read the table are not in {@code entries} yet and so stay.
     */
    private void remove(String key, boolean withLatencies) {
        List<Meter> meters = entries.remove(key);
        servers.remove(key);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
        if (withLatencies) {
            latencies.remove(registry, key);
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
        return latencies.total(key(virtualService, subService, server));
    }

    /** As {@link #latency(String, String, String)}, for the time to first byte (leases with a response only). */
    public LatencySnapshot timeToFirstByte(String virtualService, String subService, String server) {
        return latencies.firstByte(key(virtualService, subService, server));
    }

    /**
     * The total time of a sub-service: its servers' histograms merged ({@link LatencySnapshot#plus}). A server that
     * leaves takes its counts with it ({@link LatencySnapshot#minus} then treats the drop as a reset).
     *
     * @return the merged histogram, or an empty one as {@link #latency(String, String, String)}
     */
    public LatencySnapshot latency(String virtualService, String subService) {
        return latencies.merged(virtualService, subService, true);
    }

    /** As {@link #latency(String, String)}, for the time to first byte. */
    public LatencySnapshot timeToFirstByte(String virtualService, String subService) {
        return latencies.merged(virtualService, subService, false);
    }

    /** The bucket bounds of the latency histograms, ascending (the configured SLOs, without duplicates). */
    public List<Duration> latencyBounds() {
        return latencies.empty().bounds();
    }

    /**
     * Both latency histograms of every real server in force, ordered by virtual service, sub-service and server
     * name: for a stats page, and for {@link LatencyPublisher}s at each scrape. Empty while unbound or with
     * {@code latencyTimers(false)}.
     */
    public List<ServerLatency> latencies() {
        return latencies.all();
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
            try {
                publication.close();
            } catch (Exception e) {
                LOG.warn("latency publication did not close cleanly", e);
            }
            publication = () -> { };
            for (String k : new ArrayList<>(entries.keySet())) {
                remove(k, true);
            }
            latencies.clear(registry);
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
        private boolean micrometerTimers;

        private Builder(DispatchEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /**
         * The bucket bounds of both latency histograms (a Prometheus histogram's {@code le}, and
         * {@link LatencySnapshot#bounds()}); {@link #DEFAULT_SLOS} unless set; {@code serviceLevelObjectives()} for
         * none (only the {@code +Inf} bucket: count and sum; Micrometer timers then publish a summary).
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
         * Percentiles are Micrometer's: with any, releases record into Micrometer timers (see
         * {@link #micrometerTimers}); {@link LatencySnapshot#percentile} estimates them from the buckets instead.
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

        /**
         * Whether the timers also publish Micrometer's own fine-grained bucket set (about 70 buckets each); with it,
         * releases record into Micrometer timers (see {@link #micrometerTimers}).
         */
        public Builder percentileHistogram(boolean enabled) {
            this.percentileHistogram = enabled;
            return this;
        }

        /**
         * Whether to keep the two latency histograms per real server (default true). They are the only meters that
         * record on the request path (each release records both, see docs/benchmarks.md for the cost); without
         * them every meter is read at scrape time, the request path pays nothing for metrics, and
         * {@link SwitchboardMetrics#latency} answers empty histograms.
         */
        public Builder latencyTimers(boolean enabled) {
            this.latencyTimers = enabled;
            return this;
        }

        /**
         * Whether to record the latencies into Micrometer timers even when a {@link LatencyPublisher} supports the
         * registry (default false: a publisher, when there is one, reads the binder's own striped histograms at
         * scrape time and the request path records into those only). Micrometer timers also publish a windowed
         * {@code _max}; they cost each release four clock reads and about six atomic adds (docs/benchmarks.md).
         */
        public Builder micrometerTimers(boolean enabled) {
            this.micrometerTimers = enabled;
            return this;
        }

        public SwitchboardMetrics build() {
            return new SwitchboardMetrics(this);
        }
    }
}
