package dev.switchboard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads {@code authentication.radius}: {@code address} (required: {@code host}, {@code host:port} or {@code
 * [v6]:port}), {@code secret} (required; a problem with it never shows its value), {@code timeout} (1 ms to 10 m),
 * {@code attempts} (1..10), {@code nasIdentifier} (1..253 bytes), {@code maxConcurrent} (1..1024) and {@code
 * maxPending} (0..100000), the ranges {@code RadiusAuthenticator}'s builder accepts, so that {@code --check} finds
 * what a start would refuse. The name is not resolved here (the authenticator does it when it is built). Stateless.
 */
final class RadiusReader {

    private RadiusReader() {
    }

    static RadiusSettings radius(Section s) {
        String address = s.requiredNonEmpty("address", "host:port of the RADIUS server, e.g. radius.example.test:1812");
        if (!address.isEmpty() && !hostAndPort(address)) {
            s.problem("address", "expected host or host:port with a port 1..65535, such as radius.example.test:1812");
        }
        String secret = s.requiredNonEmpty("secret", "the shared secret of this client at the RADIUS server");
        Duration timeout = AuthenticationReader.timeout(s, "timeout", RadiusSettings.DEFAULT_TIMEOUT,
                Duration.ofMinutes(10), "10m");
        String nas = s.string("nasIdentifier", RadiusSettings.DEFAULT_NAS_IDENTIFIER);
        int nasBytes = nas.getBytes(StandardCharsets.UTF_8).length;
        if (s.has("nasIdentifier") && (nasBytes < 1 || nasBytes > 253)) {
            s.problem("nasIdentifier", "expected 1..253 bytes");
        }
        return new RadiusSettings(true, address, secret, timeout,
                s.integer("attempts", RadiusSettings.DEFAULT_ATTEMPTS, 1, 10), nas,
                s.integer("maxConcurrent", RadiusSettings.DEFAULT_MAX_CONCURRENT, 1, 1024),
                s.integer("maxPending", RadiusSettings.DEFAULT_MAX_PENDING, 0, 100_000));
    }

    /** {@code host}, {@code host:port} or {@code [v6]:port}, nothing else (the authenticator's own rule). */
    private static boolean hostAndPort(String address) {
        try {
            URI uri = new URI("radius://" + address);
            int port = uri.getPort();
            return uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawPath().isEmpty()
                    && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (port == -1 ? !address.endsWith(":") : port >= 1 && port <= 65535);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
