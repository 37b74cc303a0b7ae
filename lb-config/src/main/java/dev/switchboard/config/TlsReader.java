package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.tls.ServerTlsConfig;
import dev.switchboard.tls.SniCertificates;
import dev.switchboard.tls.TlsCertificate;
import dev.switchboard.tls.TlsConfigurationException;
import dev.switchboard.tls.UpstreamTlsConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code tls} (the listener's certificates, SNI, protocols) and {@code upstreamTls} (trust towards the real
 * servers) objects, loading every file they name, relative to the configuration file's directory. Not thread-safe;
 * one per read.
 */
final class TlsReader {

    static final Set<String> TLS_KEYS = Set.of("certificate", "privateKey", "sni", "protocols", "cipherSuites",
            "applicationProtocols", "namedGroups", "sessionTickets", "sessionTimeout");
    static final Set<String> SNI_KEYS = Set.of("serverName", "certificate", "privateKey");
    static final Set<String> UPSTREAM_KEYS = Set.of("trust", "clientCertificate", "protocols", "cipherSuites",
            "applicationProtocols", "namedGroups");
    static final Set<String> CA_KEYS = Set.of("caCertificate");
    static final Set<String> CERTIFICATE_KEYS = Set.of("certificate", "privateKey");
    /** The only ALPN protocol the gateway speaks to real servers. */
    static final String HTTP_1_1 = "http/1.1";
    /** HTTP/2 by ALPN. */
    static final String H2 = "h2";
    /** The persistence mode that needs a resumed session to keep its ID. */
    static final String SSL_SESSION_ID = "ssl-session-id";
    /** What an https listener offers by ALPN when {@code tls.applicationProtocols} is absent. */
    static final List<String> DEFAULT_SERVER_ALPN = List.of(H2, HTTP_1_1);

    private final Path baseDirectory;
    private final ViolationLines violations;

    TlsReader(Path baseDirectory, ViolationLines violations) {
        this.baseDirectory = baseDirectory;
        this.violations = violations;
    }

    /**
     * The server TLS configuration of the object {@code s}; empty when it has problems (recorded).
     * {@code sessionTickets} defaults to {@code ticketsByDefault}.
     */
    Optional<ServerTlsConfig> findServerTls(Section s, boolean ticketsByDefault) {
        int before = s.errors().count();
        Optional<TlsCertificate> main = findCertificate(s);
        SniCertificates.Builder sni = main.map(SniCertificates::builder).orElse(null);
        List<JsonNode> entries = s.array("sni");
        for (int i = 0; i < entries.size(); i++) {
            Optional<Section> e = Section.find(entries.get(i), s.path("sni") + "[" + i + "]", s.errors(), SNI_KEYS);
            if (e.isEmpty()) {
                continue;
            }
            Optional<String> name = e.get().findString("serverName");
            Optional<TlsCertificate> c = findCertificate(e.get());
            if (sni != null && c.isPresent()) {
                if (name.isPresent()) {
                    sni.add(c.get(), name.get());
                } else {
                    sni.add(c.get());
                }
            }
        }
        List<String> protocols = strings(s, "protocols");
        List<String> ciphers = strings(s, "cipherSuites");
        List<String> alpn = s.has("applicationProtocols") ? serverApplicationProtocols(s) : DEFAULT_SERVER_ALPN;
        List<String> groups = strings(s, "namedGroups");
        boolean tickets = s.bool("sessionTickets", ticketsByDefault);
        Optional<java.time.Duration> sessionTimeout = s.findDuration("sessionTimeout");
        if (sni == null || s.errors().count() != before) {
            return Optional.empty();
        }
        try {
            ServerTlsConfig.Builder b = ServerTlsConfig.builder(sni.build()).sessionTickets(tickets);
            sessionTimeout.ifPresent(b::sessionTimeout);
            applyLists(protocols, ciphers, alpn, groups, b::protocols, b::cipherSuites, b::applicationProtocols,
                    b::namedGroups);
            return Optional.of(b.build());
        } catch (ConfigurationException e) {
            violations.addAll(e, p -> s.path() + "." + p.replaceFirst("^certificates\\[(\\d+)]\\.names(\\[\\d+])?",
                    "sni[$1].serverName"));
            return Optional.empty();
        }
    }

    /**
     * Whether the virtual service {@code vs}, or one of its sub-services, keeps clients by TLS session ID
     * ({@code ssl-session-id} as persistence mode or fallback). Session tickets are then off unless the file turns
     * them on: a client that resumes by ticket shows a new session ID. Otherwise they are on, as on HAProxy and
     * nginx: on Conscrypt (BoringSSL) TLS 1.3 resumes only by ticket, so without them every TLS 1.3 client makes a
     * full handshake on every connection.
     */
    static boolean persistsBySessionId(Section vs) {
        if (sessionIdMode(vs.raw("persistence"))) {
            return true;
        }
        for (JsonNode sub : vs.raw("subServices")) {
            if (sessionIdMode(sub.path("persistence"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sessionIdMode(JsonNode persistence) {
        return SSL_SESSION_ID.equals(persistence.path("mode").asText())
                || SSL_SESSION_ID.equals(persistence.path("fallback").asText());
    }

    /** The upstream TLS of the object {@code s}; empty when it has problems (recorded). */
    Optional<UpstreamTlsConfig> findUpstreamTls(Section s) {
        int before = s.errors().count();
        UpstreamTlsConfig.Builder b = UpstreamTlsConfig.builder();
        if (!s.has("trust")) {
            s.errors().missing(s.path("trust"), "\"system\", \"insecure\" or {\"caCertificate\": FILE}");
        } else {
            trust(s, b);
        }
        s.findObject("clientCertificate", CERTIFICATE_KEYS).flatMap(this::findCertificate)
                .ifPresent(b::clientCertificate);
        List<String> protocols = strings(s, "protocols");
        List<String> ciphers = strings(s, "cipherSuites");
        List<String> alpn = applicationProtocols(s);
        List<String> groups = strings(s, "namedGroups");
        if (s.errors().count() != before) {
            return Optional.empty();
        }
        applyLists(protocols, ciphers, alpn, groups, b::protocols, b::cipherSuites, b::applicationProtocols,
                b::namedGroups);
        try {
            return Optional.of(b.build());
        } catch (ConfigurationException e) {
            violations.addAll(e, p -> s.path() + "." + p);
            return Optional.empty();
        }
    }

    /**
     * Gives {@code b} the trust named by {@code s}'s {@code trust} key: {@code "system"}, {@code "insecure"} or
     * {@code {"caCertificate": FILE}} (the file loaded now); a problem is recorded at {@code trust}. The one reader of
     * this shape: {@code upstreamTls} and {@code authentication.ldap} use it.
     */
    void trust(Section s, UpstreamTlsConfig.Builder b) {
        JsonNode trust = s.raw("trust");
        if (trust.isTextual() && trust.textValue().equals("system")) {
            b.trustSystemRoots();
        } else if (trust.isTextual() && trust.textValue().equals("insecure")) {
            b.insecure();
        } else if (trust.isObject()) {
            Section.find(trust, s.path("trust"), s.errors(), CA_KEYS).ifPresent(ca -> {
                Optional<Path> file = findFile(ca, "caCertificate");
                if (file.isPresent()) {
                    try {
                        b.trustCertificates(file.get());
                    } catch (TlsConfigurationException e) {
                        ca.problem("caCertificate", e.problem() + " in " + e.source());
                    }
                }
            });
        } else {
            s.problem("trust", "expected \"system\", \"insecure\" or {\"caCertificate\": FILE}");
        }
    }

    /** The certificate of {@code certificate} (+ {@code privateKey}, else the same file) in {@code s}. */
    Optional<TlsCertificate> findCertificate(Section s) {
        Optional<Path> chain = findFile(s, "certificate");
        Optional<Path> key = s.has("privateKey") ? findFile(s, "privateKey") : chain;
        if (chain.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(TlsCertificate.fromPem(chain.get(), key.get()));
        } catch (TlsConfigurationException e) {
            String field = s.has("privateKey") && e.source().equals(key.get().toString()) ? "privateKey"
                    : "certificate";
            s.problem(field, e.problem() + " in " + e.source());
            return Optional.empty();
        }
    }

    /** A readable file named by {@code key}, resolved against the configuration's directory. */
    Optional<Path> findFile(Section s, String key) {
        Optional<String> name = Optional.of(s.requiredNonEmpty(key, "a file name")).filter(n -> !n.isEmpty());
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Path file = baseDirectory.resolve(name.get()).normalize();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            s.problem(key, "cannot read file " + file);
            return Optional.empty();
        }
        return Optional.of(file);
    }

    /** The strings of the array {@code key}; empty when absent. */
    static List<String> strings(Section s, String key) {
        List<String> out = new ArrayList<>();
        List<JsonNode> nodes = s.array(key);
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).isTextual()) {
                out.add(nodes.get(i).textValue());
            } else {
                s.errors().add(s.path(key) + "[" + i + "]", "expected a string", nodes.get(i));
            }
        }
        return out;
    }

    /**
     * The upstream ALPN names of {@code s}: only {@code http/1.1}, since the gateway speaks HTTP/1.1 to real servers
     * (a real server that picked {@code h2} would fail on the first request); any other name is a problem.
     */
    static List<String> applicationProtocols(Section s) {
        List<String> names = strings(s, "applicationProtocols");
        List<JsonNode> nodes = s.array("applicationProtocols");
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).isTextual() && !nodes.get(i).textValue().equals(HTTP_1_1)) {
                s.errors().add(s.path("applicationProtocols") + "[" + i + "]", "expected \"" + HTTP_1_1
                        + "\": the gateway speaks only HTTP/1.1 to real servers", nodes.get(i));
            }
        }
        return names;
    }

    /**
     * The ALPN names an https listener offers, in preference order: {@code h2} and {@code http/1.1}, each at most
     * once ({@code []}: no ALPN, HTTP/1.1 only); any other name is a problem.
     */
    static List<String> serverApplicationProtocols(Section s) {
        List<String> names = strings(s, "applicationProtocols");
        List<JsonNode> nodes = s.array("applicationProtocols");
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            if (!n.isTextual()) {
                continue;
            }
            if (!n.textValue().equals(HTTP_1_1) && !n.textValue().equals(H2)) {
                s.errors().add(s.path("applicationProtocols") + "[" + i + "]", "expected \"" + H2 + "\" or \""
                        + HTTP_1_1 + "\" (the protocols the gateway speaks to clients)", n);
            } else if (names.indexOf(n.textValue()) < i) {
                s.errors().add(s.path("applicationProtocols") + "[" + i + "]", "listed twice", n);
            }
        }
        return names;
    }

    @SafeVarargs
    private static void applyLists(List<String> protocols, List<String> ciphers, List<String> alpn,
            List<String> groups, java.util.function.Consumer<String[]>... setters) {
        List<List<String>> lists = List.of(protocols, ciphers, alpn, groups);
        for (int i = 0; i < setters.length; i++) {
            if (!lists.get(i).isEmpty()) {
                setters[i].accept(lists.get(i).toArray(String[]::new));
            }
        }
    }
}
