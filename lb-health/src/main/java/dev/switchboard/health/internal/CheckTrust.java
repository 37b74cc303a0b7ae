package dev.switchboard.health.internal;

import dev.switchboard.api.HealthCheck;
import dev.switchboard.tls.UpstreamTlsConfig;
import java.nio.file.Path;

/** The lb-tls upstream configuration of an HTTPS check's trust. Stateless and thread-safe. */
public final class CheckTrust {

    private CheckTrust() {
    }

    /**
     * The TLS configuration the check's probes use: system roots, the CA certificates of its PEM file (read now), or
     * no verification.
     *
     * @throws RuntimeException (from lb-tls) when the CA file cannot be read or holds no certificate
     */
    public static UpstreamTlsConfig of(HealthCheck check) {
        return switch (check.trust()) {
            case SYSTEM_ROOTS -> UpstreamTlsConfig.ofDefaults();
            case INSECURE -> UpstreamTlsConfig.builder().insecure().build();
            case CERTIFICATES -> UpstreamTlsConfig.builder().trustCertificates(Path.of(check.trustedCaFile())).build();
        };
    }
}
