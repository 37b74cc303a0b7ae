package dev.switchboard.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What clients connect to: a listen address and protocol, defaults for its sub-services (scheduling, slow start,
 * header rules, sorry server), and either sub-services or a {@link Redirect}. Immutable; build with
 * {@link #builder(String)}.
 *
 * <pre>{@code
 * VirtualService.builder("mail")
 *     .listen("0.0.0.0:443").protocol(Protocol.HTTPS)
 *     .scheduling(SchedulingMethod.WEIGHTED_LEAST_CONNECTION)
 *     .requestRule(HeaderRule.rewritePath("^/$", "/owa"))
 *     .subService(owa).subService(ews).subService(fallback)
 *     .upgrades("websocket")            // the default; upgrades() with nothing turns tunnels off
 *     .build();
 * }</pre>
 */
public final class VirtualService {

    /** Default longest raw path accepted; longer ones are answered 400 (414 is not used: normalization rejects). */
    public static final int DEFAULT_MAX_PATH_LENGTH = 8_192;
    /** The protocols a request may upgrade to unless set: WebSocket. */
    public static final List<String> DEFAULT_UPGRADES = List.of("websocket");

    private final String name;
    private final Address listen;
    private final Protocol protocol;
    private final Scheduling scheduling;
    private final Duration slowStart;
    private final Address sorryServer;
    private final Redirect redirect;
    private final List<HeaderRule> requestRules;
    private final List<HeaderRule> responseRules;
    private final List<SubService> subServices;
    private final int maxPathLength;
    private final Persistence persistence;
    private final TrustedProxies trustedProxies;
    private final List<String> upgrades;
    private final boolean acceptProxyProtocol;
    private final List<String> hostNames;
    private final AuthPolicy auth;

    private VirtualService(Builder b) {
        this.name = b.name;
        this.listen = b.listen;
        this.protocol = b.protocol;
        this.scheduling = b.scheduling;
        this.slowStart = b.slowStart;
        this.sorryServer = b.sorryServer;
        this.redirect = b.redirect;
        this.requestRules = List.copyOf(b.requestRules);
        this.responseRules = List.copyOf(b.responseRules);
        this.subServices = List.copyOf(b.subServices);
        this.maxPathLength = b.maxPathLength;
        this.persistence = b.persistence;
        this.trustedProxies = TrustedProxies.of(b.trustedProxies);
        this.upgrades = List.copyOf(b.upgrades);
        this.acceptProxyProtocol = b.acceptProxyProtocol;
        this.hostNames = List.copyOf(b.hostNames);
        this.auth = b.auth;
    }

    /** A builder for a virtual service named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The address the host listens on (the VIP); the engine itself never binds it. */
    public Address listen() {
        return listen;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The default scheduling of the sub-services, round robin unless set. */
    public Scheduling scheduling() {
        return scheduling;
    }

    /** The default slow start of the sub-services, zero (off) unless set. */
    public Duration slowStart() {
        return slowStart;
    }

    /** The default persistence of the sub-services, {@link Persistence#NONE} unless set. */
    public Persistence persistence() {
        return persistence;
    }

    /** The default sorry server of the sub-services. */
    public Optional<Address> findSorryServer() {
        return Optional.ofNullable(sorryServer);
    }

    /** The redirect that makes this virtual service a redirector. */
    public Optional<Redirect> findRedirect() {
        return Optional.ofNullable(redirect);
    }

    /**
     * Request rules, in order: those in phase {@link RulePhase#BEFORE_MATCH} run before content switching, those in
     * {@link RulePhase#AFTER_MATCH} after it; all of them before persistence and scheduling, which read the request
     * (path, host, headers) as these rules left it. Each rule's condition, and content switching, see the request as
     * the rules before them left it.
     */
    public List<HeaderRule> requestRules() {
        return requestRules;
    }

    /** Response rules, run after the sub-service's. */
    public List<HeaderRule> responseRules() {
        return responseRules;
    }

    /** The sub-services in match order. */
    public List<SubService> subServices() {
        return subServices;
    }

    /** The longest raw path accepted. */
    public int maxPathLength() {
        return maxPathLength;
    }

    /**
     * The peers whose forwarded headers ({@code X-Forwarded-For}, {@code Forwarded}) are believed; the client
     * address they resolve to is the one content rules ({@code source}), source-IP hashing and persistence see.
     */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /**
     * The protocols an {@code Upgrade} request may switch to ({@code websocket} unless set; names compared without
     * regard to case, a {@code /version} suffix in a request ignored). A request that offers none of them is
     * forwarded as a plain request, its {@code Upgrade} header removed; {@code h2c} is never allowed (a tunnel to a
     * server that speaks h2c would carry requests the gateway never sees past every rule).
     */
    public List<String> upgrades() {
        return upgrades;
    }

    /**
     * Whether every connection must open with a PROXY protocol header (v1 or v2), read before anything else (before
     * TLS on https), and only from a peer in {@link #trustedProxies()}: the address it carries is then the client's
     * for content rules, persistence, logs and {@code X-Forwarded-For}. Anyone else, and a missing or malformed
     * header, is closed.
     */
    public boolean acceptProxyProtocol() {
        return acceptProxyProtocol;
    }

    /**
     * The host names this virtual service answers for on a listen address it shares with others (virtual hosting):
     * exact names and {@code *.} wildcards, lower case, in the order given. Chosen by TLS SNI (https, tcp
     * passthrough) or the {@code Host} header (http): an exact name first, then the longest wildcard, else the
     * virtual service of the address without host names (the default). Empty: this is the default of its address.
     */
    public List<String> hostNames() {
        return hostNames;
    }

    /**
     * The pre-authentication policy of the sub-services that set none of their own; {@link AuthPolicy#NONE} unless
     * set. Not applied to a redirector.
     */
    public AuthPolicy auth() {
        return auth;
    }

    void validate(String path, Problems problems) {
        auth.validate(path, protocol, problems);
        if (!Names.isValid(name)) {
            problems.add(path + ".name", "'" + name + "' (expected: 1..64 of A-Z a-z 0-9 . _ -)");
        }
        if (acceptProxyProtocol && trustedProxies.isEmpty()) {
            problems.add(path + ".acceptProxyProtocol", "true without trustedProxies (expected: the proxies allowed to"
                    + " send the header in trustedProxies)");
        }
        if (slowStart.isNegative()) {
            problems.add(path + ".slowStart", slowStart + " (expected: zero or more)");
        }
        if (maxPathLength < 1 || maxPathLength > 65_536) {
            problems.add(path + ".maxPathLength", maxPathLength + " (expected: 1..65536)");
        }
        UpgradeProtocols.validate(path + ".upgrades", upgrades, problems);
        HostNames.validate(path + ".hostNames", hostNames, problems);
        Rules.validate(path + ".requestRules", requestRules, false, protocol, problems);
        Rules.validate(path + ".responseRules", responseRules, true, protocol, problems);
        persistence.validate(path + ".persistence", protocol, problems);
        if (redirect != null) {
            redirect.validate(path + ".redirect", problems);
            if (protocol == Protocol.TCP) {
                problems.add(path + ".redirect", "on a tcp virtual service (expected: http or https)");
            }
            if (!subServices.isEmpty()) {
                problems.add(path + ".subServices", subServices.size()
                        + " sub-services on a redirector (expected: none with redirect)");
            }
            return;
        }
        validateSubServices(path, problems);
    }

    private void validateSubServices(String path, Problems problems) {
        if (subServices.isEmpty()) {
            problems.add(path + ".subServices", "empty (expected: at least one sub-service, or a redirect)");
        }
        Set<String> names = new HashSet<>();
        int defaults = 0;
        for (int i = 0; i < subServices.size(); i++) {
            SubService s = subServices.get(i);
            String p = path + ".subServices[" + i + "]";
            s.validate(p, protocol, problems);
            if (!names.add(s.name())) {
                problems.add(p + ".name", "'" + s.name() + "' is used twice in this virtual service");
            }
            if (s.isDefault() && ++defaults >= 2) {
                problems.add(p + ".default", "another default sub-service (expected: at most one)");
            }
        }
        if (protocol == Protocol.TCP && defaults == 0 && !subServices.isEmpty()) {
            problems.add(path + ".subServices", "no default sub-service (expected: a tcp virtual service has one)");
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
        if (!(o instanceof VirtualService other)) {
            return false;
        }
        return Objects.equals(name, other.name)
                && Objects.equals(listen, other.listen)
                && Objects.equals(protocol, other.protocol)
                && Objects.equals(scheduling, other.scheduling)
                && Objects.equals(slowStart, other.slowStart)
                && Objects.equals(sorryServer, other.sorryServer)
                && Objects.equals(redirect, other.redirect)
                && requestRules.equals(other.requestRules)
                && responseRules.equals(other.responseRules)
                && subServices.equals(other.subServices)
                && maxPathLength == other.maxPathLength
                && Objects.equals(persistence, other.persistence)
                && Objects.equals(trustedProxies, other.trustedProxies)
                && upgrades.equals(other.upgrades)
                && acceptProxyProtocol == other.acceptProxyProtocol
                && hostNames.equals(other.hostNames)
                && auth.equals(other.auth);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, listen, protocol, scheduling, slowStart, sorryServer, redirect, requestRules,
                responseRules, subServices, maxPathLength, persistence, trustedProxies, upgrades,
                acceptProxyProtocol, hostNames, auth);
    }

    @Override
    public String toString() {
        return "VirtualService[" + name + ", " + protocol.configName() + " " + listen + "]";
    }

    /** Builds a {@link VirtualService}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private Address listen = Address.of("0.0.0.0", 80);
        private Protocol protocol = Protocol.HTTP;
        private Scheduling scheduling = Scheduling.of(SchedulingMethod.ROUND_ROBIN);
        private Duration slowStart = Duration.ZERO;
        private Address sorryServer;
        private Redirect redirect;
        private final List<HeaderRule> requestRules = new ArrayList<>();
        private final List<HeaderRule> responseRules = new ArrayList<>();
        private final List<SubService> subServices = new ArrayList<>();
        private int maxPathLength = DEFAULT_MAX_PATH_LENGTH;
        private Persistence persistence = Persistence.NONE;
        private final List<Cidr> trustedProxies = new ArrayList<>();
        private List<String> upgrades = DEFAULT_UPGRADES;
        private boolean acceptProxyProtocol;
        private final List<String> hostNames = new ArrayList<>();
        private AuthPolicy auth = AuthPolicy.NONE;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * The listen address, {@code host:port}.
         *
         * @throws IllegalArgumentException when it is not of that shape
         */
        public Builder listen(String address) {
            return listen(Address.parse(address));
        }

        public Builder listen(Address address) {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder protocol(Protocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        public Builder scheduling(SchedulingMethod method) {
            return scheduling(Scheduling.of(method));
        }

        public Builder scheduling(Scheduling scheduling) {
            this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
            return this;
        }

        public Builder slowStart(Duration duration) {
            this.slowStart = Objects.requireNonNull(duration, "duration");
            return this;
        }

        public Builder sorryServer(Address address) {
            this.sorryServer = Objects.requireNonNull(address, "address").requireConcretePort("sorryServer");
            return this;
        }

        /** Makes this virtual service a redirector. */
        public Builder redirect(Redirect redirect) {
            this.redirect = Objects.requireNonNull(redirect, "redirect");
            return this;
        }

        public Builder requestRule(HeaderRule rule) {
            requestRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public Builder responseRule(HeaderRule rule) {
            responseRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public Builder subService(SubService subService) {
            subServices.add(Objects.requireNonNull(subService, "subService"));
            return this;
        }

        /** The default persistence of the sub-services (each may override it). */
        public Builder persistence(Persistence persistence) {
            this.persistence = Objects.requireNonNull(persistence, "persistence");
            return this;
        }

        /**
         * Adds a trusted proxy ({@code 10.0.0.0/8}, {@code 192.0.2.7}): a request whose TCP peer is one of them has
         * its client address read from the forwarded headers, walking from the right over trusted hops.
         *
         * @throws IllegalArgumentException when {@code cidr} is not a CIDR or an address literal
         */
        public Builder trustedProxy(String cidr) {
            trustedProxies.add(Cidr.parse(cidr));
            return this;
        }

        /** Adds trusted proxies; see {@link #trustedProxy(String)}. */
        public Builder trustedProxies(List<Cidr> cidrs) {
            cidrs.forEach(c -> trustedProxies.add(Objects.requireNonNull(c, "cidr")));
            return this;
        }

        /**
         * The protocols a request may upgrade to, replacing the default ({@code websocket}); none turns upgrades
         * off. Checked by {@code LoadBalancer.Builder.build()}: protocol names only, {@code h2c} refused.
         */
        public Builder upgrades(String... protocols) {
            return upgrades(List.of(protocols));
        }

        /** See {@link #upgrades(String...)}. */
        public Builder upgrades(List<String> protocols) {
            this.upgrades = List.copyOf(protocols);
            return this;
        }

        /**
         * Reads a PROXY protocol header (v1 or v2) at the start of every connection, from {@link #trustedProxy}
         * peers only (required: {@link #build()} reports it missing); see {@link VirtualService#acceptProxyProtocol()}.
         */
        public Builder acceptProxyProtocol(boolean accept) {
            this.acceptProxyProtocol = accept;
            return this;
        }

        /**
         * Adds host names ({@code "owa.example.test"}, {@code "*.example.test"}) that choose this virtual service on
         * a listen address shared with others; compared case-insensitively. {@link LoadBalancer.Builder#build()}
         * reports a bad pattern ({@code virtualServices[0].hostNames[1]: "a..b" has an empty label ...}), a pattern
         * used twice on one address, and two virtual services without host names on one address.
         */
        public Builder hostNames(String... names) {
            return hostNames(List.of(names));
        }

        /** Adds host names; see {@link #hostNames(String...)}. */
        public Builder hostNames(List<String> names) {
            names.forEach(n -> hostNames.add(HostNames.normalize(Objects.requireNonNull(n, "hostName"))));
            return this;
        }

        /** The pre-authentication policy of its sub-services (each may set its own); see {@link AuthPolicy}. */
        public Builder auth(AuthPolicy policy) {
            this.auth = Objects.requireNonNull(policy, "auth");
            return this;
        }

        public Builder maxPathLength(int maxPathLength) {
            this.maxPathLength = maxPathLength;
            return this;
        }

        public VirtualService build() {
            return new VirtualService(this);
        }
    }
}
