package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.health.HealthTargets;
import dev.switchboard.tls.UpstreamTlsConfig;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a sub-service's {@code healthCheck} object into a {@link HealthCheck}. {@code "type": "none"} (or no
 * object) means no active check. An {@code https} or {@code grpcs} check without its own {@code trust} trusts what
 * the virtual service's {@code upstreamTls} trusts; {@code service} is a gRPC check's service name. Not thread-safe;
 * one per read.
 */
final class HealthCheckReader {

    static final Set<String> KEYS = Set.of("type", "method", "path", "host", "headers", "bodyPattern", "username",
            "password", "expectStatus", "interval", "fastInterval", "timeout", "rise", "fall", "port",
            "initialState", "trust", "requestBody", "contentType", "reuseConnection", "jitter", "service");

    private static final Map<String, Supplier<HealthCheck.Builder>> TYPES = Map.of("http", HealthCheck::http,
            "https", HealthCheck::https, "tcp", HealthCheck::tcp, "agent", HealthCheck::agent,
            "http-agent", HealthCheck::httpAgent, "grpc", HealthCheck::grpc, "grpcs", HealthCheck::grpcs);
    private static final Map<String, String> TYPE_NAMES = orderedTypes();
    private static final Map<String, HealthCheck.Method> METHODS = Section.names(HealthCheck.Method.values(),
            Enum::name);
    private static final Map<String, Health> STATES = Section.names(Health.values(), Health::configName);
    private static final Pattern RANGE = Pattern.compile("(\\d{3})-(\\d{3})");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,2}(?:\\.\\d{1,3})?) ?%");
    /** The builder's field names that differ from the file's keys. */
    private static final Map<String, String> RENAMED = Map.of("hostHeader", "host", "expectedStatuses",
            "expectStatus", "grpcService", "service");

    private final TlsReader tls;
    private final ViolationLines violations;

    HealthCheckReader(TlsReader tls, ViolationLines violations) {
        this.tls = tls;
        this.violations = violations;
    }

    /**
     * The check configured by {@code s}; empty for type {@code none} or when it has problems (recorded).
     *
     * @param inheritedTrust applies the trust of the virtual service's upstream TLS to an https check without its own
     */
    Optional<HealthCheck> find(Section s, Consumer<HealthCheck.Builder> inheritedTrust) {
        int before = s.errors().count();
        Optional<String> type = s.findRequiredChoice("type", TYPE_NAMES);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        if (type.get().equals("none")) {
            KEYS.stream().filter(k -> !k.equals("type") && s.has(k))
                    .forEach(k -> s.problem(k, "not used with \"type\": \"none\""));
            return Optional.empty();
        }
        HealthCheck.Builder b = TYPES.get(type.get()).get();
        timing(s, b);
        http(s, b);
        s.findString("service").ifPresent(b::grpcService);
        trust(s, b, type.get().equals("https") || type.get().equals("grpcs"), inheritedTrust);
        if (s.errors().count() != before) {
            return Optional.empty();
        }
        try {
            HealthCheck check = b.build();
            HealthTargets.validate(check); // the body pattern's RE2J syntax, the CA file
            return Optional.of(check);
        } catch (ConfigurationException e) {
            boolean oneStatus = s.has("expectStatus") && !s.raw("expectStatus").isArray();
            violations.addAll(e, p -> s.path() + "." + filePath(p, oneStatus));
            return Optional.empty();
        }
    }

    private static void timing(Section s, HealthCheck.Builder b) {
        s.findDuration("interval").ifPresent(b::interval);
        s.findDuration("fastInterval").ifPresent(b::fastInterval);
        s.findDuration("timeout").ifPresent(b::timeout);
        s.findInteger("rise", 1, HealthCheck.MAX_COUNT).ifPresent(b::rise);
        s.findInteger("fall", 1, HealthCheck.MAX_COUNT).ifPresent(b::fall);
        s.findInteger("port", 1, 65535).ifPresent(b::port);
        s.findChoice("initialState", STATES).ifPresent(b::initialState);
        findJitter(s).ifPresent(b::jitter);
    }

    /**
     * {@code jitter}: a fraction of the interval, {@code 0}..{@code 0.5}, or the same as a percentage string,
     * {@code "0%"}..{@code "50%"}; empty when absent or wrong (recorded).
     */
    static Optional<Double> findJitter(Section s) {
        if (!s.has("jitter")) {
            return Optional.empty();
        }
        JsonNode node = s.raw("jitter");
        double fraction = -1;
        if (node.isNumber()) {
            fraction = node.doubleValue();
        } else if (node.isTextual()) {
            Matcher m = PERCENT.matcher(node.textValue());
            fraction = m.matches() ? Double.parseDouble(m.group(1)) / 100 : -1;
        }
        if (!(fraction >= 0 && fraction <= HealthCheck.MAX_JITTER)) {
            s.problem("jitter", "expected a fraction of the interval 0..0.5, or a percentage \"0%\"..\"50%\"");
            return Optional.empty();
        }
        return Optional.of(fraction);
    }

    private static void http(Section s, HealthCheck.Builder b) {
        s.findChoice("method", METHODS).ifPresent(b::method);
        s.findString("path").ifPresent(b::path);
        s.findString("host").ifPresent(b::hostHeader);
        s.findString("bodyPattern").ifPresent(p -> b.bodyPattern(RuleReader.regex(s, "bodyPattern", p)));
        if (s.has("requestBody") || s.has("contentType")) {
            b.requestBody(s.requiredString("requestBody", "the POST body"),
                    s.requiredString("contentType", "a media type such as application/json"));
        }
        if (s.has("username") || s.has("password")) {
            b.basicAuth(s.requiredString("username", "the user name of the probe's basic auth"),
                    s.requiredString("password", "the password of the probe's basic auth"));
        }
        if (s.has("reuseConnection")) {
            b.reuseConnection(s.bool("reuseConnection", true)); // a wrong type is recorded, and nothing is built
        }
        headers(s, b);
        statuses(s, b);
    }

    private static void headers(Section s, HealthCheck.Builder b) {
        JsonNode headers = s.raw("headers");
        if (!headers.isObject()) {
            if (s.has("headers")) {
                s.problem("headers", "expected an object of header names to values");
            }
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = headers.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> h = it.next();
            if (h.getValue().isTextual()) {
                b.header(h.getKey(), h.getValue().textValue());
            } else {
                s.errors().add(s.path("headers") + "." + h.getKey(), "expected a string", h.getValue());
            }
        }
    }

    private static void statuses(Section s, HealthCheck.Builder b) {
        if (!s.has("expectStatus")) {
            return;
        }
        JsonNode node = s.raw("expectStatus");
        List<JsonNode> items = node.isArray() ? s.array("expectStatus") : List.of(node);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = node.isArray() ? s.path("expectStatus") + "[" + i + "]" : s.path("expectStatus");
            Matcher range = item.isTextual() ? RANGE.matcher(item.textValue()) : null;
            if (item.isIntegralNumber() && item.canConvertToInt()) {
                b.expectStatus(item.intValue());
            } else if (range != null && range.matches()) {
                b.expectStatusRange(Integer.parseInt(range.group(1)), Integer.parseInt(range.group(2)));
            } else {
                s.errors().add(path, "expected a status code such as 200 or a range such as \"200-399\"", item);
            }
        }
    }

    private void trust(Section s, HealthCheck.Builder b, boolean https, Consumer<HealthCheck.Builder> inheritedTrust) {
        if (!https) {
            if (s.has("trust")) {
                s.problem("trust", "only used with \"type\": \"https\" or \"grpcs\"");
            }
            return;
        }
        if (!s.has("trust")) {
            inheritedTrust.accept(b);
            return;
        }
        JsonNode trust = s.raw("trust");
        if (trust.isTextual() && trust.textValue().equals("system")) {
            b.trustSystemRoots();
        } else if (trust.isTextual() && trust.textValue().equals("insecure")) {
            b.insecure();
        } else if (trust.isObject()) {
            Section.find(trust, s.path("trust"), s.errors(), TlsReader.CA_KEYS)
                    .flatMap(ca -> tls.findFile(ca, "caCertificate")).ifPresent(b::trustCertificates);
        } else {
            s.problem("trust", "expected \"system\", \"insecure\" or {\"caCertificate\": FILE}");
        }
    }

    /** Gives {@code b} the trust of {@code upstream}. */
    static void inherit(HealthCheck.Builder b, UpstreamTlsConfig upstream) {
        switch (upstream.trust()) {
            case INSECURE -> b.insecure();
            case CERTIFICATES -> b.trustCertificates(Path.of(upstream.trustSource()));
            default -> b.trustSystemRoots();
        }
    }

    /**
     * A path of the builder's validation ({@code hostHeader}, {@code headers[X-A]}) as the file's key;
     * {@code oneStatus}: {@code expectStatus} is a single value, not a list.
     */
    static String filePath(String builderPath, boolean oneStatus) {
        if (oneStatus && builderPath.startsWith("expectedStatuses[")) {
            return "expectStatus";
        }
        Matcher header = Pattern.compile("headers\\[(.*)]").matcher(builderPath);
        if (header.matches()) {
            return "headers." + header.group(1);
        }
        for (Map.Entry<String, String> r : RENAMED.entrySet()) {
            if (builderPath.equals(r.getKey()) || builderPath.startsWith(r.getKey() + "[")) {
                return r.getValue() + builderPath.substring(r.getKey().length());
            }
        }
        return builderPath;
    }

    private static Map<String, String> orderedTypes() {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        for (String t : List.of("http", "https", "tcp", "none", "agent", "http-agent", "grpc", "grpcs")) {
            names.put(t, t);
        }
        return names;
    }
}
