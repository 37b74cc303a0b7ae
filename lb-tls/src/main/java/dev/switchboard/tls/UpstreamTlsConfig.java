package dev.switchboard.tls;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Violation;
import dev.switchboard.tls.internal.context.Settings;
import dev.switchboard.tls.internal.pem.CertificateFileException;
import dev.switchboard.tls.internal.pem.CertificateFiles;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the load balancer re-encrypts towards real servers (SSL bridging): whom it trusts, an optional client
 * certificate (mutual TLS), protocols, ALPN, groups, session cache and provider. Server names are always sent as
 * SNI and checked against the server's certificate (hostname verification), except in {@link Builder#insecure()
 * insecure} mode. Immutable and thread-safe; hand it to {@link TlsContexts#upstream(UpstreamTlsConfig)}.
 *
 * <pre>{@code
 * UpstreamTlsConfig config = UpstreamTlsConfig.builder()
 *     .trustCertificates(Path.of("/etc/lb/internal-ca.pem"))   // default: the JDK's system roots
 *     .clientCertificate(TlsCertificate.fromPem(Path.of("/etc/lb/lb-client.pem")))
 *     .build();
 * }</pre>
 *
 * @throws TlsConfigurationException from {@link Builder#trustCertificates(Path)} for an unreadable bundle
 */
public final class UpstreamTlsConfig {

    /** Whom the upstream side trusts. */
    public enum Trust {
        /** The JDK's trusted roots ({@code cacerts}). */
        SYSTEM_ROOTS,
        /** Only the certificates given ({@link #trustedCertificates()}), e.g. an internal CA. */
        CERTIFICATES,
        /** Everybody, without hostname verification: lab use only, logged at WARN. */
        INSECURE
    }

    private final Trust trust;
    private final List<X509Certificate> trustedCertificates;
    private final String trustSource;
    private final List<TlsCertificate> clientCertificate;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final List<String> applicationProtocols;
    private final List<String> namedGroups;
    private final int sessionCacheSize;
    private final Duration sessionTimeout;
    private final TlsProvider provider;

    private UpstreamTlsConfig(Builder b) {
        this.trust = b.trust;
        this.trustedCertificates = b.trustedCertificates;
        this.trustSource = b.trustSource;
        this.clientCertificate = b.clientCertificate;
        this.protocols = b.protocols;
        this.cipherSuites = b.cipherSuites;
        this.applicationProtocols = b.applicationProtocols;
        this.namedGroups = b.namedGroups;
        this.sessionCacheSize = b.sessionCacheSize;
        this.sessionTimeout = b.sessionTimeout;
        this.provider = b.provider;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** System roots, hostname verification, no client certificate, the server defaults for the rest. */
    public static UpstreamTlsConfig ofDefaults() {
        return builder().build();
    }

    public Trust trust() {
        return trust;
    }

    /** The trusted certificates when {@link #trust()} is {@link Trust#CERTIFICATES}, else empty. */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    /** Where the trusted certificates came from (a file, or {@code in-memory}); empty otherwise. */
    public String trustSource() {
        return trustSource;
    }

    public Optional<TlsCertificate> findClientCertificate() {
        return clientCertificate.stream().findFirst();
    }

    public List<String> protocols() {
        return protocols;
    }

    public List<String> cipherSuites() {
        return cipherSuites;
    }

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

    public TlsProvider provider() {
        return provider;
    }

    /** Builds {@link UpstreamTlsConfig}. Not thread-safe. */
    public static final class Builder {
        private Trust trust = Trust.SYSTEM_ROOTS;
        private List<X509Certificate> trustedCertificates = List.of();
        private String trustSource = "";
        private List<TlsCertificate> clientCertificate = List.of();
        private List<String> protocols = ServerTlsConfig.DEFAULT_PROTOCOLS;
        private List<String> cipherSuites = List.of();
        private List<String> applicationProtocols = List.of();
        private List<String> namedGroups = ServerTlsConfig.DEFAULT_NAMED_GROUPS;
        private int sessionCacheSize = ServerTlsConfig.DEFAULT_SESSION_CACHE_SIZE;
        private Duration sessionTimeout = ServerTlsConfig.DEFAULT_SESSION_TIMEOUT;
        private TlsProvider provider = TlsProvider.AUTO;

        private Builder() {
        }

        /** Trust the JDK's system roots (the default). */
        public Builder trustSystemRoots() {
            return trust(Trust.SYSTEM_ROOTS, List.of(), "");
        }

        /**
         * Trust only the certificates of a PEM bundle (read now).
         *
         * @throws TlsConfigurationException naming the file when it cannot be read or holds no certificate
         */
        public Builder trustCertificates(Path caBundle) {
            Objects.requireNonNull(caBundle, "caBundle");
            try {
                return trust(Trust.CERTIFICATES, CertificateFiles.readCertificates(caBundle), caBundle.toString());
            } catch (CertificateFileException e) {
                throw TlsConfigurationException.of(e);
            }
        }

        /** Trust only {@code certificates}. */
        public Builder trustCertificates(List<X509Certificate> certificates) {
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("certificates: empty (expected: at least one CA certificate)");
            }
            return trust(Trust.CERTIFICATES, List.copyOf(certificates), "in-memory");
        }

        /**
         * Trust every server certificate and skip hostname verification. For labs with self-signed real servers
         * only: anyone on the path can read and change the traffic. Logged at WARN whenever a context is made.
         */
        public Builder insecure() {
            return trust(Trust.INSECURE, List.of(), "");
        }

        /** Present {@code certificate} when a real server asks for one (mutual TLS). */
        public Builder clientCertificate(TlsCertificate certificate) {
            this.clientCertificate = List.of(Objects.requireNonNull(certificate, "certificate"));
            return this;
        }

        public Builder protocols(String... protocols) {
            this.protocols = List.of(protocols);
            return this;
        }

        public Builder cipherSuites(String... cipherSuites) {
            this.cipherSuites = List.of(cipherSuites);
            return this;
        }

        /** ALPN offered to real servers, in preference order. */
        public Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = List.of(protocols);
            return this;
        }

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

        public Builder provider(TlsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        private Builder trust(Trust trust, List<X509Certificate> certificates, String source) {
            this.trust = trust;
            this.trustedCertificates = certificates;
            this.trustSource = source;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws dev.switchboard.api.ConfigurationException listing every violation with its path
         */
        public UpstreamTlsConfig build() {
            List<Violation> problems = new ArrayList<>();
            Settings.protocols(problems, protocols);
            Settings.applicationProtocols(problems, applicationProtocols);
            Settings.namedGroups(problems, namedGroups);
            Settings.sessionCache(problems, sessionCacheSize, sessionTimeout);
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new UpstreamTlsConfig(this);
        }
    }
}
