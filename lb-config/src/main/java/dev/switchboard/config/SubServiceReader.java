package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Address;
import dev.switchboard.api.AdminState;
import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.Cidr;
import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.UpstreamProtocol;
import dev.switchboard.api.HealthCheck;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads one entry of {@code subServices}: its content rules, pool of real servers, overrides of the virtual
 * service's scheduling, slow start, persistence and sorry server, its own header rules, queue and thresholds, and
 * its health check. Not thread-safe; one per read.
 */
final class SubServiceReader {

    static final Set<String> KEYS = Set.of("name", "match", "matchMode", "default", "healthCheck", "realServers",
            "persistence", "requestRules", "responseRules", "scheduling", "slowStart", "sorryServer",
            "queueCapacity", "queueTimeout", "minPrimaryServers", "minHealthyServers", "panicThreshold",
            "outlierDetection", "proxyProtocol", "upstreamProtocol", "auth", "authExempt", "passCredentials");
    static final Set<String> SERVER_KEYS = Set.of("name", "address", "weight", "maxConnections", "backup", "state",
            "proxyProtocol");
    static final Set<String> SORRY_KEYS = Set.of("address");

    static final Map<String, SchedulingMethod> SCHEDULING = Section.names(SchedulingMethod.values(),
            SchedulingMethod::configName);
    /** {@code "v1"}, {@code "v2"}, and {@code "none"} (a real server that opts out of its sub-service's). */
    static final Map<String, ProxyProtocol> PROXY_PROTOCOLS = Section.names(ProxyProtocol.values(),
            ProxyProtocol::configName);
    /** {@code "http/1.1"} (the default) and {@code "h2"}. */
    static final Map<String, UpstreamProtocol> UPSTREAM_PROTOCOLS = Section.names(UpstreamProtocol.values(),
            UpstreamProtocol::configName);
    private static final Map<String, AdminState> STATES = Section.names(AdminState.values(),
            AdminState::configName);

    private final HealthCheckReader health;

    SubServiceReader(HealthCheckReader health) {
        this.health = health;
    }

    /**
     * The sub-service at {@code path}; a placeholder named {@code ""} when it is not an object (recorded).
     */
    SubService read(JsonNode node, String path, ConfigErrors errors, VirtualServiceContext vs) {
        Optional<Section> section = Section.find(node, path, errors, KEYS);
        if (section.isEmpty()) {
            return SubService.builder("").asDefault().realServer(RealServer.of("placeholder", "invalid:1")).build();
        }
        Section s = section.get();
        String name = s.requiredNonEmpty("name", "a sub-service name");
        SubService.Builder b = SubService.builder(name).match(RuleReader.match(s));
        if (s.bool("default", false)) {
            b.asDefault();
        }
        List<JsonNode> servers = s.array("realServers");
        if (!s.has("realServers")) {
            errors.missing(s.path("realServers"), "a list of real servers");
        }
        for (int i = 0; i < servers.size(); i++) {
            b.realServer(realServer(servers.get(i), s.path("realServers") + "[" + i + "]", errors));
        }
        s.findChoice("scheduling", SCHEDULING).ifPresent(b::scheduling);
        s.findDuration("slowStart").ifPresent(b::slowStart);
        s.findChoice("proxyProtocol", PROXY_PROTOCOLS).ifPresent(b::proxyProtocol);
        s.findChoice("upstreamProtocol", UPSTREAM_PROTOCOLS).ifPresent(b::upstreamProtocol);
        findSorryServer(s).ifPresent(b::sorryServer);
        PersistenceReader.find(s, "persistence", vs.trustedProxies()).ifPresent(b::persistence);
        RuleReader.headerRules(s, "requestRules", RuleReader.Place.SUB_SERVICE_REQUEST).forEach(b::requestRule);
        RuleReader.headerRules(s, "responseRules", RuleReader.Place.RESPONSE).forEach(b::responseRule);
        int capacity = s.findInteger("queueCapacity").orElse(SubService.DEFAULT_QUEUE_CAPACITY);
        b.queue(capacity, s.duration("queueTimeout", SubService.DEFAULT_QUEUE_TIMEOUT));
        s.findInteger("minPrimaryServers").ifPresent(b::minPrimaryServers);
        s.findInteger("minHealthyServers").ifPresent(b::minHealthyServers);
        s.findInteger("panicThreshold").ifPresent(b::panicThreshold);
        OutlierDetectionReader.find(s, errors).ifPresent(b::outlierDetection);
        AuthenticationReader.findPolicy(s, vs.auth()).ifPresent(b::auth); // what it leaves out: the virtual service's
        s.findObject("healthCheck", HealthCheckReader.KEYS)
                .flatMap(h -> health.find(h, vs.inheritedTrust()))
                .ifPresent(b::healthCheck);
        return b.build();
    }

    static RealServer realServer(JsonNode node, String path, ConfigErrors errors) {
        Optional<Section> section = Section.find(node, path, errors, SERVER_KEYS);
        if (section.isEmpty()) {
            return RealServer.of("", "invalid:1");
        }
        Section s = section.get();
        String name = s.requiredNonEmpty("name", "a real server name");
        Address address = s.requiredAddress("address");
        RealServer.Builder b = RealServer.builder(name, address);
        s.findInteger("weight").ifPresent(b::weight);
        s.findInteger("maxConnections").ifPresent(b::maxConnections);
        if (s.bool("backup", false)) {
            b.backup();
        }
        s.findChoice("state", STATES).ifPresent(b::initialState);
        s.findChoice("proxyProtocol", PROXY_PROTOCOLS).ifPresent(b::proxyProtocol);
        return b.build();
    }

    /** The {@code sorryServer} object's address, if the object is present and readable. */
    static Optional<Address> findSorryServer(Section owner) {
        return owner.findObject("sorryServer", SORRY_KEYS).map(s -> s.requiredAddress("address"))
                .filter(a -> a != Section.NO_ADDRESS);
    }

    /**
     * What a sub-service inherits from its virtual service while it is read.
     *
     * @param name the virtual service's name
     * @param trustedProxies its listener's trusted proxies, for source-ip persistence that lists none
     * @param inheritedTrust applies the trust of its {@code upstreamTls} to an https check that sets none
     * @param auth its pre-authentication policy, what a sub-service's own policy leaves out
     */
    record VirtualServiceContext(String name, List<Cidr> trustedProxies,
            Consumer<HealthCheck.Builder> inheritedTrust, AuthPolicy auth) {
    }
}
