package dev.switchboard.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One workload behind a virtual service (a sub-virtual service, SubVS): chosen by its content rules, with its own
 * pool of real servers, and optionally its own health check, scheduling, slow start, sorry server and header rules
 * (those but the health check override the virtual service's). Immutable; build with {@link #builder(String)}.
 *
 * <pre>{@code
 * SubService.builder("owa")
 *     .match(ContentMatch.any(ContentRule.pathPrefix("/owa").ignoreCase()))
 *     .realServer(RealServer.of("ex01", "10.0.0.11:443"))
 *     .realServer(RealServer.of("ex02", "10.0.0.12:443"))
 *     .healthCheck(HealthCheck.https().path("/owa/healthcheck.htm").expectStatus(200).build())
 *     .build();
 * }</pre>
 */
public final class SubService {

    /** Default capacity of the wait queue used while every eligible server is at its connection limit. */
    public static final int DEFAULT_QUEUE_CAPACITY = 256;
    /** Default time a request may wait in that queue before it is answered 503. */
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final ContentMatch match;
    private final boolean isDefault;
    private final List<RealServer> realServers;
    private final Scheduling scheduling;
    private final Duration slowStart;
    private final Address sorryServer;
    private final List<HeaderRule> requestRules;
    private final List<HeaderRule> responseRules;
    private final int queueCapacity;
    private final Duration queueTimeout;
    private final int minPrimaryServers;
    private final Persistence persistence;
    private final int minHealthyServers;
    private final int panicThresholdPercent;
    private final OutlierDetection outlierDetection;
    private final HealthCheck healthCheck;
    private final ProxyProtocol proxyProtocol;
    private final UpstreamProtocol upstreamProtocol;
    private final AuthPolicy auth;

    private SubService(Builder b) {
        this.name = b.name;
        this.match = b.match;
        this.isDefault = b.isDefault;
        this.realServers = List.copyOf(b.realServers);
        this.scheduling = b.scheduling;
        this.slowStart = b.slowStart;
        this.sorryServer = b.sorryServer;
        this.requestRules = List.copyOf(b.requestRules);
        this.responseRules = List.copyOf(b.responseRules);
        this.queueCapacity = b.queueCapacity;
        this.queueTimeout = b.queueTimeout;
        this.minPrimaryServers = b.minPrimaryServers;
        this.persistence = b.persistence;
        this.minHealthyServers = b.minHealthyServers;
        this.panicThresholdPercent = b.panicThresholdPercent;
        this.outlierDetection = b.outlierDetection;
        this.healthCheck = b.healthCheck;
        this.proxyProtocol = b.proxyProtocol;
        this.upstreamProtocol = b.upstreamProtocol;
        this.auth = b.auth;
    }

    /** This sub-service's pre-authentication policy, if it overrides the virtual service's {@code auth()}. */
    public Optional<AuthPolicy> findAuth() {
        return Optional.ofNullable(auth);
    }

    /**
     * This sub-service's active health check, if configured: every real server of its pool is probed with it, for
     * this sub-service only (lb-health's {@code HealthChecker.apply(LoadBalancer)} runs it). The engine does not
     * probe; it takes the verdicts the checker reports. A server of a sub-service with a check starts in the check's
     * {@link HealthCheck#initialState()} (down by default: no request reaches it before its first passing probe);
     * servers of a sub-service without a check count as up.
     */
    public Optional<HealthCheck> findHealthCheck() {
        return Optional.ofNullable(healthCheck);
    }

    /**
     * This sub-service's passive health, if configured: real-request outcomes eject failing servers from this
     * sub-service only (see {@link OutlierDetection}). Without it the engine reports no outcomes for it.
     */
    public Optional<OutlierDetection> findOutlierDetection() {
        return Optional.ofNullable(outlierDetection);
    }

    /**
     * Below this many healthy servers the sub-service counts as down as a whole: its sorry server takes over (or
     * 503). 0 (the default) turns it off.
     */
    public int minHealthyServers() {
        return minHealthyServers;
    }

    /**
     * Panic threshold in percent of the pool: while fewer servers than that are healthy, the engine balances
     * across every enabled server, healthy or not, instead of crushing the last healthy ones (Envoy's panic mode).
     * The trade-off: some requests go to servers the health checks call down and may fail, but the survivors are
     * not overloaded into failing too. Servers ejected by {@link OutlierDetection} count as not healthy here, and
     * panic mode sends traffic to them as well. 0 (the default) turns it off.
     */
    public int panicThresholdPercent() {
        return panicThresholdPercent;
    }

    /** A builder for a sub-service named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The content rules that choose this sub-service. */
    public ContentMatch match() {
        return match;
    }

    /** Whether this sub-service catches requests no other sub-service matches. */
    public boolean isDefault() {
        return isDefault;
    }

    public List<RealServer> realServers() {
        return realServers;
    }

    /** This sub-service's scheduling, if it overrides the virtual service's. */
    public Optional<Scheduling> findScheduling() {
        return Optional.ofNullable(scheduling);
    }

    /** This sub-service's slow start, if it overrides the virtual service's. */
    public Optional<Duration> findSlowStart() {
        return Optional.ofNullable(slowStart);
    }

    /** This sub-service's persistence, if it overrides the virtual service's. */
    public Optional<Persistence> findPersistence() {
        return Optional.ofNullable(persistence);
    }

    /** This sub-service's sorry server, if it overrides the virtual service's. */
    public Optional<Address> findSorryServer() {
        return Optional.ofNullable(sorryServer);
    }

    /**
     * Request rules for this sub-service only. They run after the server is chosen (step 9 of the way of a request):
     * they change what is forwarded, never where it goes (persistence keys and url hashing read the request before
     * them), and a deny among them answers after giving the chosen server's slot back. For a request that waits for
     * a connection slot they run before it waits, since the host's {@link RequestView} is read only during dispatch.
     * A rule's phase is ignored here.
     */
    public List<HeaderRule> requestRules() {
        return requestRules;
    }

    /** Response rules run before the virtual service's. */
    public List<HeaderRule> responseRules() {
        return responseRules;
    }

    /** How many requests may wait for a connection slot; 0 answers 503 at once. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** How long a request may wait for a connection slot. */
    public Duration queueTimeout() {
        return queueTimeout;
    }

    /** Backup servers take traffic while fewer than this many primaries are eligible (default 1). */
    public int minPrimaryServers() {
        return minPrimaryServers;
    }

    /**
     * The PROXY protocol header every connection to this pool's real servers opens with (a real server's own
     * setting wins); {@link ProxyProtocol#NONE} by default. The sorry server gets none.
     */
    public ProxyProtocol proxyProtocol() {
        return proxyProtocol;
    }

    /** How its real servers are spoken to: {@link UpstreamProtocol#HTTP_1_1} (the default) or h2. */
    public UpstreamProtocol upstreamProtocol() {
        return upstreamProtocol;
    }

    void validate(String path, Protocol protocol, Problems problems) {
        if (auth != null) {
            auth.validate(path, protocol, problems);
        }
        if (!Names.isValid(name)) {
            problems.add(path + ".name", "'" + name + "' (expected: 1..64 of A-Z a-z 0-9 . _ -)");
        }
        if (!isDefault && match.isAlways()) {
            problems.add(path + ".match", "no content rules (expected: at least one rule, or default: true)");
        }
        if (protocol == Protocol.TCP && !match.isAlways()) {
            problems.add(path + ".match", "content rules on a tcp virtual service (expected: none; L4 has no request)");
        }
        match.validate(path + ".match", problems);
        if (realServers.isEmpty()) {
            problems.add(path + ".realServers", "empty (expected: at least one real server)");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < realServers.size(); i++) {
            RealServer s = realServers.get(i);
            s.validate(path + ".realServers[" + i + "]", problems);
            if (!seen.add(s.name())) {
                problems.add(path + ".realServers[" + i + "].name", "'" + s.name() + "' is used twice in this pool");
            }
        }
        upstreamProtocol.validate(path, protocol, proxyProtocol, realServers, problems);
        Rules.validate(path + ".requestRules", requestRules, false, protocol, problems);
        Rules.validate(path + ".responseRules", responseRules, true, protocol, problems);
        if (slowStart != null && slowStart.isNegative()) {
            problems.add(path + ".slowStart", slowStart + " (expected: zero or more)");
        }
        if (queueCapacity < 0) {
            problems.add(path + ".queueCapacity", queueCapacity + " (expected: 0 or more)");
        }
        if (queueTimeout.isNegative() || queueTimeout.isZero()) {
            problems.add(path + ".queueTimeout", queueTimeout + " (expected: more than zero)");
        }
        if (persistence != null) {
            persistence.validate(path + ".persistence", protocol, problems);
        }
        if (minHealthyServers < 0) {
            problems.add(path + ".minHealthyServers", minHealthyServers + " (expected: 0 or more)");
        }
        if (panicThresholdPercent < 0 || panicThresholdPercent > 100) {
            problems.add(path + ".panicThreshold", panicThresholdPercent + " (expected: 0..100 percent)");
        }
        if (minPrimaryServers < 0) {
            problems.add(path + ".minPrimaryServers", minPrimaryServers + " (expected: 0 or more)");
        }
    }

    /**
     * Equal when every setting is equal: the engine skips a reconfiguration whose model equals the one in
     * force.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SubService other)) {
            return false;
        }
        return Objects.equals(name, other.name)
                && Objects.equals(match, other.match)
                && isDefault == other.isDefault
                && realServers.equals(other.realServers)
                && Objects.equals(scheduling, other.scheduling)
                && Objects.equals(slowStart, other.slowStart)
                && Objects.equals(sorryServer, other.sorryServer)
                && requestRules.equals(other.requestRules)
                && responseRules.equals(other.responseRules)
                && queueCapacity == other.queueCapacity
                && Objects.equals(queueTimeout, other.queueTimeout)
                && minPrimaryServers == other.minPrimaryServers
                && Objects.equals(persistence, other.persistence)
                && minHealthyServers == other.minHealthyServers
                && panicThresholdPercent == other.panicThresholdPercent
                && Objects.equals(outlierDetection, other.outlierDetection)
                && Objects.equals(healthCheck, other.healthCheck)
                && proxyProtocol == other.proxyProtocol
                && upstreamProtocol == other.upstreamProtocol
                && Objects.equals(auth, other.auth);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, match, isDefault, realServers, scheduling, slowStart, sorryServer, requestRules,
                responseRules, queueCapacity, queueTimeout, minPrimaryServers, persistence, minHealthyServers,
                panicThresholdPercent, outlierDetection, healthCheck, proxyProtocol, upstreamProtocol, auth);
    }

    @Override
    public String toString() {
        return "SubService[" + name + (isDefault ? ", default" : "") + ", " + realServers.size() + " servers]";
    }

    /** Builds a {@link SubService}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private ContentMatch match = ContentMatch.ALWAYS;
        private boolean isDefault;
        private final List<RealServer> realServers = new ArrayList<>();
        private Scheduling scheduling;
        private Duration slowStart;
        private Address sorryServer;
        private final List<HeaderRule> requestRules = new ArrayList<>();
        private final List<HeaderRule> responseRules = new ArrayList<>();
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private Duration queueTimeout = DEFAULT_QUEUE_TIMEOUT;
        private int minPrimaryServers = 1;
        private Persistence persistence;
        private int minHealthyServers;
        private int panicThresholdPercent;
        private OutlierDetection outlierDetection;
        private HealthCheck healthCheck;
        private ProxyProtocol proxyProtocol = ProxyProtocol.NONE;
        private UpstreamProtocol upstreamProtocol = UpstreamProtocol.HTTP_1_1;
        private AuthPolicy auth;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The content rules that choose this sub-service (replaces earlier ones). */
        public Builder match(ContentMatch match) {
            this.match = Objects.requireNonNull(match, "match");
            return this;
        }

        /** Shorthand for {@code match(ContentMatch.any(rules))}. */
        public Builder matchAny(ContentRule... rules) {
            return match(ContentMatch.any(rules));
        }

        /** Makes this the default sub-service, which catches what no other one matches. */
        public Builder asDefault() {
            this.isDefault = true;
            return this;
        }

        public Builder realServer(RealServer server) {
            realServers.add(Objects.requireNonNull(server, "server"));
            return this;
        }

        public Builder realServers(List<RealServer> servers) {
            servers.forEach(this::realServer);
            return this;
        }

        public Builder scheduling(SchedulingMethod method) {
            return scheduling(Scheduling.of(method));
        }

        public Builder scheduling(Scheduling scheduling) {
            this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
            return this;
        }

        /** Ramp a newly eligible server's share from small to full over {@code duration}; zero disables. */
        public Builder slowStart(Duration duration) {
            this.slowStart = Objects.requireNonNull(duration, "duration");
            return this;
        }

        public Builder sorryServer(Address address) {
            this.sorryServer = Objects.requireNonNull(address, "address").requireConcretePort("sorryServer");
            return this;
        }

        /** A request rule run after this sub-service's server is chosen (see {@link SubService#requestRules()}). */
        public Builder requestRule(HeaderRule rule) {
            requestRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public Builder responseRule(HeaderRule rule) {
            responseRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public Builder queue(int capacity, Duration timeout) {
            this.queueCapacity = capacity;
            this.queueTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Persistence for this sub-service only, overriding the virtual service's. */
        public Builder persistence(Persistence persistence) {
            this.persistence = Objects.requireNonNull(persistence, "persistence");
            return this;
        }

        /** See {@link SubService#minHealthyServers()}. */
        public Builder minHealthyServers(int count) {
            this.minHealthyServers = count;
            return this;
        }

        /** See {@link SubService#panicThresholdPercent()}. */
        public Builder panicThreshold(int percent) {
            this.panicThresholdPercent = percent;
            return this;
        }

        /** Passive health for this sub-service; see {@link SubService#findOutlierDetection()}. */
        public Builder outlierDetection(OutlierDetection detection) {
            this.outlierDetection = Objects.requireNonNull(detection, "outlierDetection");
            return this;
        }

        /** The active health check of this sub-service's pool; see {@link SubService#findHealthCheck()}. */
        public Builder healthCheck(HealthCheck check) {
            this.healthCheck = Objects.requireNonNull(check, "healthCheck");
            return this;
        }

        /** Opens every connection to this pool with a PROXY protocol header; see {@link SubService#proxyProtocol()}. */
        public Builder proxyProtocol(ProxyProtocol version) {
            this.proxyProtocol = Objects.requireNonNull(version, "proxyProtocol");
            return this;
        }

        /** How the real servers are spoken to; see {@link UpstreamProtocol}. */
        public Builder upstreamProtocol(UpstreamProtocol protocol) {
            this.upstreamProtocol = Objects.requireNonNull(protocol, "upstreamProtocol");
            return this;
        }

        /** Pre-authentication for this sub-service only, overriding the virtual service's; see {@link AuthPolicy}. */
        public Builder auth(AuthPolicy policy) {
            this.auth = Objects.requireNonNull(policy, "auth");
            return this;
        }

        public Builder minPrimaryServers(int count) {
            this.minPrimaryServers = count;
            return this;
        }

        public SubService build() {
            return new SubService(this);
        }
    }
}
