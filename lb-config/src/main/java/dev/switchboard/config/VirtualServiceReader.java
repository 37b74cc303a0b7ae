package dev.switchboard.config;

import dev.switchboard.netty.settings.ExpectContinue;
import dev.switchboard.netty.settings.ListenerSettings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Address;
import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.Redirect;
import dev.switchboard.api.VirtualService;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.UpstreamTlsConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads one entry of {@code virtualServices} into the engine's {@link VirtualService} and the gateway's
 * {@link ListenerSettings}. Not thread-safe; one per read.
 */
final class VirtualServiceReader {

    static final Set<String> KEYS = Set.of("name", "listen", "protocol", "tls", "upstreamTls", "scheduling",
            "slowStart", "persistence", "expectContinue", "forwardedHeaders", "requestRules", "responseRules",
            "subServices", "sorryServer", "redirect", "maxPathLength", "timeouts", "limits", "trustedProxies",
            "accessLog", "upgrades", "acceptProxyProtocol", "hostNames", "http2", "auth", "authExempt",
            "passCredentials");
    static final Set<String> REDIRECT_KEYS = Set.of("scheme", "host", "port", "status");

    private static final Map<String, Protocol> PROTOCOLS = Section.names(Protocol.values(), Protocol::configName);
    private static final Map<String, ExpectContinue> EXPECT = Section.names(ExpectContinue.values(),
            ExpectContinue::configName);

    /**
     * What one virtual service reads into.
     *
     * @param virtualService the engine's model of it
     * @param listeners its listener, or none when a listener setting could not be read
     */
    record Result(VirtualService virtualService, List<ListenerSettings> listeners) {
    }

    private final TlsReader tls;
    private final SubServiceReader subServices;

    VirtualServiceReader(TlsReader tls, SubServiceReader subServices) {
        this.tls = tls;
        this.subServices = subServices;
    }

    /**
     * Reads the virtual service at {@code path}.
     *
     * @param defaults the listener options given at the top of the file
     */
    Result read(JsonNode node, String path, ConfigErrors errors, ListenerOptionsReader.Options defaults) {
        Optional<Section> section = Section.find(node, path, errors, KEYS);
        if (section.isEmpty()) {
            return new Result(VirtualService.builder("").redirect(Redirect.toScheme("https")).build(), List.of());
        }
        Section s = section.get();
        int before = errors.count();
        String name = s.requiredNonEmpty("name", "a virtual service name");
        Address listen = s.requiredAddress("listen");
        Protocol protocol = s.findRequiredChoice("protocol", PROTOCOLS).orElse(Protocol.HTTP);
        ListenerOptionsReader.Options options = ListenerOptionsReader.read(s, defaults);
        ListenerSettings.Builder listener = ListenerSettings.builder(name, listen, protocol)
                .timeouts(options.timeouts()).limits(options.limits()).trustedProxies(options.trustedProxies())
                .accessLog(options.accessLog()).accessLogFormat(options.accessLogFormat());
        listenerTls(s, protocol, listener);
        Optional<UpstreamTlsConfig> upstream = s.findObject("upstreamTls", TlsReader.UPSTREAM_KEYS)
                .flatMap(tls::findUpstreamTls);
        upstream.ifPresent(listener::upstreamTls);
        httpOnly(s, protocol, listener);
        Http2Reader.read(s, protocol, listener);
        VirtualService.Builder b = VirtualService.builder(name).listen(listen).protocol(protocol)
                .trustedProxies(options.trustedProxies()); // rules, hashing and persistence see the real client
        acceptProxyProtocol(s, options, listener, b);
        boolean listenerOk = errors.count() == before;
        hostNames(s, b);
        s.findChoice("scheduling", SubServiceReader.SCHEDULING).ifPresent(b::scheduling);
        s.findDuration("slowStart").ifPresent(b::slowStart);
        s.findInteger("maxPathLength").ifPresent(b::maxPathLength);
        PersistenceReader.find(s, "persistence", options.trustedProxies()).ifPresent(b::persistence);
        RuleReader.headerRules(s, "requestRules", RuleReader.Place.VIRTUAL_SERVICE_REQUEST).forEach(b::requestRule);
        RuleReader.headerRules(s, "responseRules", RuleReader.Place.RESPONSE).forEach(b::responseRule);
        SubServiceReader.findSorryServer(s).ifPresent(b::sorryServer);
        s.findObject("redirect", REDIRECT_KEYS).map(VirtualServiceReader::redirect).ifPresent(b::redirect);
        upgrades(s, protocol).ifPresent(b::upgrades);
        AuthPolicy auth = AuthenticationReader.findPolicy(s, AuthPolicy.NONE).orElse(AuthPolicy.NONE);
        b.auth(auth);
        Consumer<HealthCheck.Builder> trust = check -> upstream.ifPresent(u -> HealthCheckReader.inherit(check, u));
        var context = new SubServiceReader.VirtualServiceContext(name, options.trustedProxies(), trust, auth);
        List<JsonNode> subs = s.array("subServices");
        for (int i = 0; i < subs.size(); i++) {
            b.subService(subServices.read(subs.get(i), s.path("subServices") + "[" + i + "]", errors, context));
        }
        return new Result(b.build(), listenerOk ? List.of(listener.build()) : List.of());
    }

    /** {@code acceptProxyProtocol}: only with trusted proxies (the virtual service's or the top-level ones). */
    private static void acceptProxyProtocol(Section s, ListenerOptionsReader.Options options,
            ListenerSettings.Builder listener, VirtualService.Builder b) {
        if (!s.bool("acceptProxyProtocol", false)) {
            return;
        }
        if (options.trustedProxies().isEmpty()) {
            s.problem("acceptProxyProtocol", "needs trustedProxies (expected: the proxies allowed to send the PROXY"
                    + " header, in trustedProxies here or at the top)");
            return;
        }
        listener.acceptProxyProtocol(true);
        b.acceptProxyProtocol(true);
    }

    /** {@code hostNames}: strings; the engine judges each pattern ({@code LoadBalancer.Builder.build()}). */
    private static void hostNames(Section s, VirtualService.Builder b) {
        List<JsonNode> names = s.array("hostNames");
        if (names.isEmpty() && s.has("hostNames") && s.raw("hostNames").isArray()) {
            s.problem("hostNames", "empty, expected at least one host name (leave hostNames out for the default of"
                    + " the address)");
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isTextual()) {
                b.hostNames(names.get(i).textValue());
            } else {
                s.errors().add(s.path("hostNames") + "[" + i + "]", "expected a string (a host name such as"
                        + " owa.example.test or *.example.test)", names.get(i));
            }
        }
    }

    /** {@code tls} is required with https and refused otherwise. */
    private void listenerTls(Section s, Protocol protocol, ListenerSettings.Builder listener) {
        if (protocol == Protocol.HTTPS && !s.has("tls")) {
            s.errors().missing(s.path("tls"), "a tls object with the certificate: \"protocol\": \"https\""
                    + " terminates TLS");
        } else if (protocol != Protocol.HTTPS && s.has("tls")) {
            s.problem("tls", "only allowed with \"protocol\": \"https\" (" + protocol.configName()
                    + (protocol == Protocol.TCP ? " passes TLS through)" : " has no TLS)"));
        } else if (s.has("tls")) {
            boolean tickets = !TlsReader.persistsBySessionId(s);
            Optional<ServerTlsConfig> config = s.findObject("tls", TlsReader.TLS_KEYS)
                    .flatMap(t -> tls.findServerTls(t, tickets));
            config.ifPresent(listener::tls);
        }
    }

    /** {@code expectContinue} and {@code forwardedHeaders} are HTTP settings. */
    private static void httpOnly(Section s, Protocol protocol, ListenerSettings.Builder listener) {
        if (protocol == Protocol.TCP) {
            for (String key : List.of("expectContinue", "forwardedHeaders")) {
                if (s.has(key)) {
                    s.problem(key, "only used with \"protocol\": \"http\" or \"https\"");
                }
            }
            return;
        }
        s.findChoice("expectContinue", EXPECT).ifPresent(listener::expectContinue);
        listener.forwardedHeaders(s.bool("forwardedHeaders", true));
    }

    /**
     * {@code upgrades}: the protocols requests may switch to, a list of strings (an http or https setting); the
     * model checks each name (h2c refused) and reports it at its path.
     */
    private static Optional<List<String>> upgrades(Section s, Protocol protocol) {
        if (!s.has("upgrades")) {
            return Optional.empty();
        }
        if (protocol == Protocol.TCP) {
            s.problem("upgrades", "only used with \"protocol\": \"http\" or \"https\" (tcp relays bytes as they"
                    + " are)");
            return Optional.empty();
        }
        List<JsonNode> nodes = s.array("upgrades");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            if (n.isTextual()) {
                names.add(n.textValue());
            } else {
                s.errors().add(s.path("upgrades") + "[" + i + "]", "expected a protocol name as a string", n);
            }
        }
        // the model's paths are the file's only when every element was read
        return s.raw("upgrades").isArray() && names.size() == nodes.size() ? Optional.of(names) : Optional.empty();
    }

    private static Redirect redirect(Section r) {
        return new Redirect(r.string("scheme", "https"), r.string("host", ""), r.findInteger("port").orElse(0),
                r.findInteger("status").orElse(301));
    }
}
