package dev.switchboard.config;

import dev.switchboard.netty.settings.ListenerSettings;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.api.Address;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.LoadBalancer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads the reference gateway's JSON configuration file (the contract in {@code gateway-contract.md}) into a
 * {@link GatewayConfig}, reporting every problem of the file at once: each as
 * {@code path.to.field: what is wrong (got VALUE)}, for instance
 * {@code virtualServices[0].subServices[1].realServers[0].weight: expected 0..65535 (got -1)}.
 *
 * <pre>{@code
 * GatewayConfig config = GatewayConfigReader.read(Path.of("/etc/switchboard/mail.json"));
 * DispatchEngine engine = DispatchEngine.create(config.loadBalancer());
 * }</pre>
 *
 * <p>Every key of the contract is read, plus these (all optional):
 * <ul>
 *   <li>at the top, and again on a virtual service to override them key by key: {@code timeouts} {connect,
 *       firstByte, clientIdle, serverIdle, shutdown, requestHead, requestBodyMinRate, requestBodyWindow},
 *       {@code limits} {maxRequestLine, maxHeaderSize, maxPooledPerServer, maxRetries, maxConnections,
 *       maxConnectionsPerClient}, {@code trustedProxies} [CIDR] (also the default of source-ip persistence's
 *       {@code trustedProxies}), {@code accessLog} (true);</li>
 *   <li>virtual service: {@code maxPathLength}; {@code http2} ({@code cleartext} for h2c on http, and the limits
 *       {@code maxConcurrentStreams}, {@code maxHeaderListSize}, {@code maxFrameSize}, {@code initialWindowSize},
 *       {@code maxResets}/{@code resetWindow}, {@code maxControlFrames}/{@code controlFrameWindow},
 *       {@code maxQueuedControlFrames}: see {@code Http2Reader}); {@code tls}: {@code privateKey} may be left out
 *       when the certificate file holds the key, {@code sni[].serverName} may be left out to serve the names in the
 *       certificate, {@code protocols}, {@code cipherSuites}, {@code applicationProtocols} ({@code h2},
 *       {@code http/1.1}; both by default), {@code namedGroups}, {@code sessionTickets} (default: on, off when the
 *       virtual service or a sub-service persists by {@code ssl-session-id}), {@code sessionTimeout};
 *       {@code upstreamTls}: {@code clientCertificate} {certificate, privateKey}, {@code protocols},
 *       {@code cipherSuites}, {@code applicationProtocols} ({@code http/1.1}), {@code namedGroups};
 *       {@code redirect}: {@code host} (default: the request's), {@code scheme} (https), {@code port} (0: the
 *       scheme's), {@code status} (301);</li>
 *   <li>sub-service: {@code matchMode} ({@code any} or {@code all}), {@code scheduling}, {@code slowStart},
 *       {@code sorryServer}, {@code responseRules}, {@code queueCapacity}, {@code queueTimeout},
 *       {@code minPrimaryServers}, {@code minHealthyServers}, {@code panicThreshold} (percent),
 *       {@code outlierDetection} (passive detection, on with its defaults unless {@code false}; an object tunes
 *       {@code consecutiveFailures}, {@code failureRatePercent} (0 for off), {@code windowCalls},
 *       {@code minimumCalls}, {@code baseEjectionTime}, {@code maxEjectionTime}, {@code maxEjectionPercent},
 *       {@code halfOpenCalls});</li>
 *   <li>real server: {@code backup} (false), {@code state} ({@code enabled}, {@code draining},
 *       {@code disabled});</li>
 *   <li>content rule: {@code includeQuery}, {@code includeHost}; {@code on}: {@code method} and {@code source}
 *       need no {@code type};</li>
 *   <li>persistence: {@code cookiePath}, {@code cookieHttpOnly}, {@code cookieSameSite}, {@code cookieSession},
 *       {@code cookieSecret}, {@code sourceIpMaskV6}, {@code trustedProxies}, {@code shared},
 *       {@code maxEntries}; the modes {@code super-http} and {@code host} as well;</li>
 *   <li>health check: {@code type} {@code agent} and {@code http-agent}; {@code port}, {@code fastInterval},
 *       {@code initialState} ({@code up}/{@code down}), {@code requestBody} + {@code contentType} (POST),
 *       {@code trust} for https (as {@code upstreamTls.trust}; inherited from the virtual service's
 *       {@code upstreamTls} when absent); {@code expectStatus} may also be one code or one range;
 *       {@code reuseConnection} (http and http-agent; true unless set: the probe's connection is kept);</li>
 *   <li>{@code cluster} (the contract's {@code name}, {@code member}, {@code members}, {@code secret}):
 *       {@code bind} (the address to listen on when peers reach {@code member} through NAT or a relay),
 *       {@code batchInterval}, {@code syncTimeout}; see {@link ClusterConfig} and {@link ClusterValueCheck}.</li>
 * </ul>
 *
 * <p>Unknown keys are errors, so that a misspelt key never passes silently. File names (certificates, keys, CA
 * bundles) are resolved against the configuration file's directory. Stateless and thread-safe.
 *
 * @throws ConfigFileException from every method, listing every problem found
 */
public final class GatewayConfigReader {

    static final Set<String> TOP_KEYS = Set.of("admin", "virtualServices", "timeouts", "limits", "trustedProxies",
            "accessLog", "cluster", "authentication");
    static final Set<String> ADMIN_KEYS = Set.of("listen", "token");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private GatewayConfigReader() {
    }

    /**
     * Reads {@code file}; relative file names inside it resolve against its directory. The values of a
     * {@code cluster} section are not judged (only their types): see {@link #read(Path, ClusterValueCheck)}.
     *
     * @throws ConfigFileException when the file cannot be read, is not JSON, or describes no runnable gateway
     */
    public static GatewayConfig read(Path file) {
        return read(file, ClusterValueCheck.NONE);
    }

    /**
     * Reads {@code file} and judges the values of its {@code cluster} section with {@code cluster} (the gateway
     * passes the cluster module's rules); its violations are reported with the file's other problems.
     *
     * @throws ConfigFileException when the file cannot be read, is not JSON, or describes no runnable gateway
     */
    public static GatewayConfig read(Path file, ClusterValueCheck cluster) {
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigFileException(List.of(file + ": cannot read the configuration file: " + e
                    + " (got " + ConfigErrors.renderText(file.toString()) + ")"));
        }
        Path directory = file.toAbsolutePath().getParent();
        return parse(json, directory == null ? Path.of("").toAbsolutePath() : directory, cluster);
    }

    /**
     * Reads the configuration {@code json}; relative file names inside it resolve against {@code baseDirectory}.
     *
     * @throws ConfigFileException when it is not JSON or describes no runnable gateway
     */
    public static GatewayConfig parse(String json, Path baseDirectory) {
        return parse(json, baseDirectory, ClusterValueCheck.NONE);
    }

    /**
     * Reads the configuration {@code json}, judging the values of its {@code cluster} section with {@code cluster}.
     *
     * @throws ConfigFileException when it is not JSON or describes no runnable gateway
     */
    public static GatewayConfig parse(String json, Path baseDirectory, ClusterValueCheck cluster) {
        JsonNode root = tree(json);
        ConfigErrors errors = new ConfigErrors();
        ViolationLines violations = new ViolationLines(root, errors);
        Section top = Section.find(root, "", errors, TOP_KEYS)
                .orElseThrow(() -> new ConfigFileException(errors.lines()));
        AdminSettings admin = top.findObject("admin", ADMIN_KEYS).map(GatewayConfigReader::admin)
                .orElse(AdminSettings.none());
        ListenerOptionsReader.Options defaults = ListenerOptionsReader.read(top,
                ListenerOptionsReader.Options.DEFAULTS);
        TlsReader tls = new TlsReader(baseDirectory, violations);
        VirtualServiceReader reader = new VirtualServiceReader(tls,
                new SubServiceReader(new HealthCheckReader(tls, violations)));
        List<JsonNode> nodes = top.array("virtualServices");
        if (!top.has("virtualServices")) {
            errors.missing("virtualServices", "a list of virtual services");
        } else if (nodes.isEmpty() && top.raw("virtualServices").isArray()) {
            top.problem("virtualServices", "empty, expected at least one virtual service");
        }
        LoadBalancer.Builder model = LoadBalancer.builder();
        AuthenticationReader.Result auth = AuthenticationReader.read(top, tls, violations);
        auth.authentication().ifPresent(model::authentication);
        List<ListenerSettings> listeners = new ArrayList<>();
        SharedAddressOptions shared = new SharedAddressOptions();
        for (int i = 0; i < nodes.size(); i++) {
            VirtualServiceReader.Result r = reader.read(nodes.get(i), "virtualServices[" + i + "]", errors, defaults);
            model.virtualService(r.virtualService());
            listeners.addAll(r.listeners());
            shared.add(i, r.virtualService(), r.listeners());
        }
        duplicates(nodes, admin, errors);
        shared.report(errors);
        ClusterConfig fleet = ClusterReader.read(top, cluster, violations);
        violations.coverReaderProblems();
        Optional<LoadBalancer> lb = findModel(model, violations);
        errors.throwIfAny();
        return new GatewayConfig(admin, lb.orElseThrow(), listeners, fleet, auth.ldap(), auth.radius());
    }

    private static Optional<LoadBalancer> findModel(LoadBalancer.Builder model, ViolationLines violations) {
        try {
            return Optional.of(model.build());
        } catch (ConfigurationException e) {
            violations.addAll(e, UnaryOperator.identity());
            return Optional.empty();
        }
    }

    private static JsonNode tree(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || root.isMissingNode()) {
                throw new ConfigFileException(List.of("$: empty file, expected a JSON object (got nothing)"));
            }
            return root;
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? 0 : at.getLineNr();
            int column = at == null ? 0 : at.getColumnNr();
            String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
            String source = line > 0 ? json.lines().skip(line - 1L).findFirst().orElse("").strip() : "";
            throw new ConfigFileException(List.of("line " + line + ", column " + column + ": invalid JSON: "
                    + message + " (got " + ConfigErrors.renderText(source) + ")"));
        }
    }

    private static AdminSettings admin(Section s) {
        Address listen = s.requiredAddress("listen");
        String token = s.string("token", "");
        if (listen != Section.NO_ADDRESS && token.isEmpty() && !isLoopback(listen.host())) {
            s.errors().add(s.path("token"), "missing, expected a token: the gateway refuses to start an admin"
                    + " listener on a non-loopback address (" + listen + ") without one", s.has("token")
                    ? ConfigErrors.render(s.raw("token")) : "nothing");
        }
        return AdminSettings.of(listen, token);
    }

    /** Loopback literals and {@code localhost}; a host name is never resolved, so any other name is not. */
    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean v4 = host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = host.matches("[0-9A-Fa-f:.]+") && host.indexOf(':') >= 0;
        if (!v4 && !v6) {
            return false;
        }
        try {
            return InetAddress.getByName(v6 ? "[" + host + "]" : host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Virtual service names and listen addresses (the admin's included) must each be unique; port 0 (any free port,
     * for tests) never collides. Virtual services may share an address when any of them lists {@code hostNames}
     * (virtual hosting; the engine's model then judges the group), never with the admin API.
     */
    private static void duplicates(List<JsonNode> nodes, AdminSettings admin, ConfigErrors errors) {
        Map<String, Integer> names = new HashMap<>();
        Map<String, String> listens = new HashMap<>();
        if (admin.enabled() && admin.listen().port() != 0) {
            listens.put(admin.listen().toString(), "admin.listen");
        }
        Set<String> hosted = new HashSet<>();
        for (JsonNode node : nodes) {
            if (node.path("hostNames").isArray() && !node.path("hostNames").isEmpty()) {
                hosted.add(node.path("listen").asText());
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode name = nodes.get(i).path("name");
            if (name.isTextual() && !name.textValue().isEmpty()) {
                Integer first = names.putIfAbsent(name.textValue(), i);
                if (first != null) {
                    errors.add("virtualServices[" + i + "].name", "duplicate name, already used by virtualServices["
                            + first + "]", name);
                }
            }
            JsonNode listen = nodes.get(i).path("listen");
            if (listen.isTextual() && !listen.textValue().endsWith(":0")) {
                String first = listens.putIfAbsent(listen.textValue(), "virtualServices[" + i + "].listen");
                if (first != null && (first.equals("admin.listen") || !hosted.contains(listen.textValue()))) {
                    errors.add("virtualServices[" + i + "].listen", "duplicate listen address, already used by "
                            + first, listen);
                }
            }
        }
    }
}
