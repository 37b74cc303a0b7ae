package dev.switchboard.tls.internal.context;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Validation shared by the server and upstream configurations, and the checks that need the provider (cipher
 * suites it supports). Stateless.
 */
public final class Settings {

    /** Canonical named-group names and the JDK's names for them ({@code ""}: the JDK 17 provider lacks it). */
    public static final Map<String, String> NAMED_GROUPS = Map.of(
            "X25519", "x25519",
            "P-256", "secp256r1",
            "P-384", "secp384r1",
            "P-521", "secp521r1",
            "X25519MLKEM768", "");

    private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private Settings() {
    }

    public static void protocols(List<Violation> problems, List<String> protocols) {
        if (protocols.isEmpty()) {
            problems.add(new Violation("protocols", "empty (expected: TLSv1.2 and/or TLSv1.3)"));
        }
        for (int i = 0; i < protocols.size(); i++) {
            if (!PROTOCOLS.contains(protocols.get(i))) {
                problems.add(new Violation("protocols[" + i + "]",
                        "'" + protocols.get(i) + "' (expected: TLSv1.2 or TLSv1.3)"));
            }
        }
    }

    public static void applicationProtocols(List<Violation> problems, List<String> alpn) {
        for (int i = 0; i < alpn.size(); i++) {
            int len = alpn.get(i).getBytes(StandardCharsets.UTF_8).length;
            if (len == 0 || len > 255) {
                problems.add(new Violation("applicationProtocols[" + i + "]",
                        "'" + alpn.get(i) + "' (expected: 1..255 bytes, e.g. h2, http/1.1)"));
            }
        }
    }

    public static void namedGroups(List<Violation> problems, List<String> groups) {
        if (groups.isEmpty()) {
            problems.add(new Violation("namedGroups", "empty (expected: some of " + NAMED_GROUPS.keySet() + ")"));
        }
        for (int i = 0; i < groups.size(); i++) {
            if (!NAMED_GROUPS.containsKey(groups.get(i))) {
                problems.add(new Violation("namedGroups[" + i + "]", "'" + groups.get(i)
                        + "' (expected: one of X25519, P-256, P-384, P-521, X25519MLKEM768)"));
            }
        }
    }

    public static void sessionCache(List<Violation> problems, int size, Duration timeout) {
        if (size < 1 || size > 10_000_000) {
            problems.add(new Violation("sessionCacheSize", size + " (expected: 1..10000000)"));
        }
        if (timeout.isNegative() || timeout.getSeconds() < 1 || timeout.compareTo(Duration.ofDays(1)) > 0) {
            problems.add(new Violation("sessionTimeout", timeout + " (expected: PT1S..P1D)"));
        }
    }

    /** Checks protocols and cipher suites against what the initialized {@code context} supports. */
    public static void requireSupported(SSLContext context, List<String> protocols, List<String> cipherSuites) {
        SSLParameters supported = context.getSupportedSSLParameters();
        Set<String> suites = new HashSet<>(Arrays.asList(supported.getCipherSuites()));
        Set<String> versions = new HashSet<>(Arrays.asList(supported.getProtocols()));
        List<Violation> problems = new ArrayList<>();
        String provider = context.getProvider().getName();
        for (int i = 0; i < protocols.size(); i++) {
            if (!versions.contains(protocols.get(i))) {
                problems.add(new Violation("protocols[" + i + "]",
                        "'" + protocols.get(i) + "' (not supported by " + provider + ")"));
            }
        }
        for (int i = 0; i < cipherSuites.size(); i++) {
            if (!suites.contains(cipherSuites.get(i))) {
                problems.add(new Violation("cipherSuites[" + i + "]",
                        "'" + cipherSuites.get(i) + "' (not supported by " + provider + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }
}
