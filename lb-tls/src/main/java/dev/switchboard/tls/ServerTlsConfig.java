package dev.switchboard.tls;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Violation;
import dev.switchboard.tls.internal.context.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a listener terminates TLS: its certificates (several, chosen by SNI), protocols, cipher suites, ALPN, key
 * exchange groups, session cache and provider. Immutable and thread-safe; hand it to
 * {@link TlsContexts#server(ServerTlsConfig)}.
 *
 * <pre>{@code
 * ServerTlsConfig config = ServerTlsConfig.builder(certificates)
 *     .applicationProtocols("h2", "http/1.1")
 *     .sessionTimeout(Duration.ofMinutes(10))
 *     .build();   // throws ConfigurationException listing every problem with its path
 * }</pre>
 *
 * <p>Defaults: TLS 1.3 and 1.2; the provider's cipher suites; no ALPN; groups X25519, P-256, P-384 (the
 * post-quantum hybrid X25519MLKEM768 costs about a quarter more per handshake: add it explicitly); a session cache
 * of 20,000 sessions for 5 minutes; no TLS 1.2 session tickets (so that the session ID of a resumed session is
 * the one the server cached, which session-ID persistence needs); {@link TlsProvider#AUTO}.
 */
public final class ServerTlsConfig {

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> DEFAULT_NAMED_GROUPS = List.of("X25519", "P-256", "P-384");
    public static final int DEFAULT_SESSION_CACHE_SIZE = 20_000;
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofMinutes(5);

    private final SniCertificates certificates;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final List<String> applicationProtocols;
    private final List<String> namedGroups;
    private final int sessionCacheSize;
    private final Duration sessionTimeout;
    private final boolean sessionTickets;
    private final TlsProvider provider;

    private ServerTlsConfig(Builder b) {
        this.certificates = b.certificates;
        this.protocols = b.protocols;
        this.cipherSuites = b.cipherSuites;
        this.applicationProtocols = b.applicationProtocols;
        this.namedGroups = b.namedGroups;
        this.sessionCacheSize = b.sessionCacheSize;
        this.sessionTimeout = b.sessionTimeout;
        this.sessionTickets = b.sessionTickets;
        this.provider = b.provider;
    }

    /** Starts a configuration serving {@code certificates}. */
    public static Builder builder(SniCertificates certificates) {
        return new Builder(certificates);
    }

    /** Starts a configuration serving one certificate for every name. */
    public static Builder builder(TlsCertificate certificate) {
        return new Builder(SniCertificates.of(certificate));
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder(certificates);
        b.protocols = protocols;
        b.cipherSuites = cipherSuites;
        b.applicationProtocols = applicationProtocols;
        b.namedGroups = namedGroups;
        b.sessionCacheSize = sessionCacheSize;
        b.sessionTimeout = sessionTimeout;
        b.sessionTickets = sessionTickets;
        b.provider = provider;
        return b;
    }

    public SniCertificates certificates() {
        return certificates;
    }

    public List<String> protocols() {
        return protocols;
    }

    /** The enabled cipher suites in preference order; empty: the provider's defaults. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** ALPN protocols in server preference order; empty: no ALPN. */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    public List<String> namedGroups() {
        return namedGroups;
    }

    public int sessionCacheSize() {
        return sessionCacheSize;
    }

    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /** Whether Conscrypt issues TLS 1.2 session tickets (the JDK provider follows its own system property). */
    public boolean sessionTickets() {
        return sessionTickets;
    }

    public TlsProvider provider() {
        return provider;
    }

    /** Builds {@link ServerTlsConfig}. Not thread-safe. */
    public static final class Builder {
        private final SniCertificates certificates;
        private List<String> protocols = DEFAULT_PROTOCOLS;
        private List<String> cipherSuites = List.of();
        private List<String> applicationProtocols = List.of();
        private List<String> namedGroups = DEFAULT_NAMED_GROUPS;
        private int sessionCacheSize = DEFAULT_SESSION_CACHE_SIZE;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
        private boolean sessionTickets;
        private TlsProvider provider = TlsProvider.AUTO;

        private Builder(SniCertificates certificates) {
            this.certificates = Objects.requireNonNull(certificates, "certificates");
        }

        /** {@code TLSv1.3}, {@code TLSv1.2}. */
        public Builder protocols(String... protocols) {
            this.protocols = List.of(protocols);
            return this;
        }

        /**
         * Standard (IANA) names in preference order. On Conscrypt the three TLS 1.3 suites are always enabled and
         * TLS 1.3 names in this list are ignored (BoringSSL cannot restrict them); the list restricts TLS 1.2.
         */
        public Builder cipherSuites(String... cipherSuites) {
            this.cipherSuites = List.of(cipherSuites);
            return this;
        }

        /** ALPN, in server preference order, e.g. {@code "h2", "http/1.1"}. */
        public Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = List.of(protocols);
            return this;
        }

        /** Key exchange groups in preference order: {@code X25519, P-256, P-384, P-521, X25519MLKEM768}. */
        public Builder namedGroups(String... groups) {
            this.namedGroups = List.of(groups);
            return this;
        }

        public Builder sessionCacheSize(int sessions) {
            this.sessionCacheSize = sessions;
            return this;
        }

        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = Objects.requireNonNull(timeout, "sessionTimeout");
            return this;
        }

        public Builder sessionTickets(boolean enabled) {
            this.sessionTickets = enabled;
            return this;
        }

        public Builder provider(TlsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws dev.switchboard.api.ConfigurationException listing every violation with its path
         *         ({@code protocols[0]: 'TLSv1' (expected: TLSv1.2 or TLSv1.3)})
         */
        public ServerTlsConfig build() {
            List<Violation> problems = new ArrayList<>();
            Settings.protocols(problems, protocols);
            Settings.applicationProtocols(problems, applicationProtocols);
            Settings.namedGroups(problems, namedGroups);
            Settings.sessionCache(problems, sessionCacheSize, sessionTimeout);
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new ServerTlsConfig(this);
        }
    }
}
