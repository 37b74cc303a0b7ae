package dev.switchboard.tls;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Several certificates on one listener, chosen by the server name (SNI) the client asks for: an exact name first,
 * then a wildcard {@code *.example.com} (which covers exactly one label: {@code a.example.com}, not
 * {@code example.com} nor {@code a.b.example.com}), else the default certificate. A client that sends no SNI, or an
 * unknown name, gets the default. Names compare case-insensitively; a trailing dot is ignored.
 *
 * <pre>{@code
 * SniCertificates certificates = SniCertificates.builder(TlsCertificate.fromPem(Path.of("default.pem")))
 *     .add(TlsCertificate.fromPem(Path.of("mail.pem")))                 // by the DNS names in the certificate
 *     .add(TlsCertificate.fromPem(Path.of("star.pem")), "*.example.com")  // by explicit names
 *     .build();
 * certificates.select("owa.example.com");   // star.pem
 * certificates.select("");                  // default.pem
 * }</pre>
 *
 * <p>The default certificate also answers for its own DNS names, unless another entry claims them. Immutable and
 * thread-safe; {@link #select(String)} takes no locks and allocates only to lower-case a mixed-case name.
 *
 * @see ServerTlsContext#reload()
 */
public final class SniCertificates {

    private final TlsCertificate defaultCertificate;
    private final List<Entry> entries;
    private final Map<String, TlsCertificate> exact;
    private final Map<String, TlsCertificate> wildcard;

    /** One added certificate with the names it answers for; {@code fromCertificate}: names read from it. */
    private record Entry(TlsCertificate certificate, List<String> names, boolean fromCertificate) {
    }

    private SniCertificates(TlsCertificate defaultCertificate, List<Entry> entries) {
        this.defaultCertificate = defaultCertificate;
        this.entries = List.copyOf(entries);
        Map<String, TlsCertificate> exactNames = new HashMap<>();
        Map<String, TlsCertificate> wildcardNames = new HashMap<>();
        for (Entry entry : entries) {
            for (String name : entry.names()) {
                index(name, entry.certificate(), exactNames, wildcardNames);
            }
        }
        for (String name : defaultCertificate.dnsNames()) {
            if (isValidName(name)) {
                Map<String, TlsCertificate> target = name.startsWith("*.") ? wildcardNames : exactNames;
                target.putIfAbsent(name.startsWith("*.") ? name.substring(2) : name, defaultCertificate);
            }
        }
        this.exact = Map.copyOf(exactNames);
        this.wildcard = Map.copyOf(wildcardNames);
    }

    /** Starts a set whose default is {@code defaultCertificate}. */
    public static Builder builder(TlsCertificate defaultCertificate) {
        return new Builder(defaultCertificate);
    }

    /** One certificate for every name. */
    public static SniCertificates of(TlsCertificate certificate) {
        return builder(certificate).build();
    }

    /**
     * The certificate for {@code serverName}: exact match, else wildcard match, else the default. Never null.
     *
     * @param serverName the SNI host name, {@code ""} when the client sent none
     */
    public TlsCertificate select(String serverName) {
        if (serverName.isEmpty()) {
            return defaultCertificate;
        }
        String name = normalize(serverName);
        TlsCertificate found = exact.get(name);
        if (found != null) {
            return found;
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            found = wildcard.get(name.substring(dot + 1));
            if (found != null) {
                return found;
            }
        }
        return defaultCertificate;
    }

    /** The certificate for clients without SNI or with an unknown name. */
    public TlsCertificate defaultCertificate() {
        return defaultCertificate;
    }

    /** Every distinct certificate, the default first. */
    public List<TlsCertificate> certificates() {
        Set<TlsCertificate> all = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<TlsCertificate> out = new ArrayList<>();
        all.add(defaultCertificate);
        out.add(defaultCertificate);
        for (Entry e : entries) {
            if (all.add(e.certificate())) {
                out.add(e.certificate());
            }
        }
        return out;
    }

    /**
     * Reads every certificate's files again ({@link TlsCertificate#reload()}) into a new set with the same names
     * (names read from a certificate are read from its new version).
     *
     * @throws TlsConfigurationException naming the first file that cannot be loaded
     * @throws dev.switchboard.api.ConfigurationException when a new certificate no longer carries a usable name
     */
    public SniCertificates reload() {
        Map<TlsCertificate, TlsCertificate> reloaded = new IdentityHashMap<>();
        Builder b = new Builder(reloaded.computeIfAbsent(defaultCertificate, TlsCertificate::reload));
        for (Entry e : entries) {
            TlsCertificate fresh = reloaded.computeIfAbsent(e.certificate(), TlsCertificate::reload);
            if (e.fromCertificate()) {
                b.add(fresh);
            } else {
                b.add(fresh, e.names().toArray(new String[0]));
            }
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "SniCertificates[default=" + defaultCertificate.source() + ", exact=" + exact.keySet()
                + ", wildcard=" + wildcard.keySet().stream().map(s -> "*." + s).toList() + "]";
    }

    static String normalize(String serverName) {
        String name = serverName.endsWith(".") ? serverName.substring(0, serverName.length() - 1) : serverName;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }

    static boolean isValidName(String name) {
        String host = name.startsWith("*.") ? name.substring(2) : name;
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void index(String name, TlsCertificate certificate, Map<String, TlsCertificate> exactNames,
            Map<String, TlsCertificate> wildcardNames) {
        if (name.startsWith("*.")) {
            wildcardNames.put(name.substring(2), certificate);
        } else {
            exactNames.put(name, certificate);
        }
    }

    /** Builds {@link SniCertificates}. Not thread-safe. */
    public static final class Builder {
        private final TlsCertificate defaultCertificate;
        private final List<TlsCertificate> certificates = new ArrayList<>();
        private final List<List<String>> names = new ArrayList<>();

        private Builder(TlsCertificate defaultCertificate) {
            this.defaultCertificate = Objects.requireNonNull(defaultCertificate, "defaultCertificate");
        }

        /** Serves {@code certificate} for the DNS names it carries ({@link TlsCertificate#dnsNames()}). */
        public Builder add(TlsCertificate certificate) {
            certificates.add(Objects.requireNonNull(certificate, "certificate"));
            names.add(null);
            return this;
        }

        /** Serves {@code certificate} for {@code serverNames} (exact names or {@code *.domain} wildcards). */
        public Builder add(TlsCertificate certificate, String... serverNames) {
            certificates.add(Objects.requireNonNull(certificate, "certificate"));
            List<String> list = new ArrayList<>();
            for (String n : serverNames) {
                list.add(normalize(Objects.requireNonNull(n, "serverName")));
            }
            names.add(list);
            return this;
        }

        /**
         * Checks every name and builds the set.
         *
         * @throws dev.switchboard.api.ConfigurationException listing every invalid or duplicate name with its path
         *         ({@code certificates[1].names[0]: '*.*.example.com' (expected: a DNS name or *.domain)})
         */
        public SniCertificates build() {
            List<Violation> problems = new ArrayList<>();
            Map<String, Integer> owner = new HashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < certificates.size(); i++) {
                TlsCertificate certificate = certificates.get(i);
                boolean fromCertificate = names.get(i) == null;
                List<String> given = fromCertificate ? certificate.dnsNames() : names.get(i);
                String path = "certificates[" + i + "]";
                if (given.isEmpty()) {
                    problems.add(new Violation(path + ".names", fromCertificate ? certificate.source()
                            + " carries no DNS name (give the names explicitly)" : "empty (expected: at least one)"));
                }
                Set<String> unique = new LinkedHashSet<>(given);
                int j = 0;
                for (String name : unique) {
                    String namePath = path + ".names[" + j++ + "]";
                    if (!isValidName(name)) {
                        problems.add(new Violation(namePath, "'" + name + "' (expected: a DNS name or *.domain)"));
                    } else if (owner.containsKey(name)) {
                        problems.add(new Violation(namePath, "'" + name + "' is already served by certificates["
                                + owner.get(name) + "]"));
                    } else {
                        owner.put(name, i);
                    }
                }
                entries.add(new Entry(certificate, List.copyOf(unique), fromCertificate));
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new SniCertificates(defaultCertificate, entries);
        }
    }
}
