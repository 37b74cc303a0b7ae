package dev.switchboard.health;

import com.google.re2j.PatternSyntaxException;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.Violation;
import dev.switchboard.api.VirtualService;
import dev.switchboard.health.internal.BodyPatterns;
import dev.switchboard.health.internal.CheckTrust;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The health targets of a model: one per real server of every sub-service with a
 * {@link SubService#findHealthCheck() health check}, in the model's order, each with the PROXY protocol version
 * its traffic opens with (the real server's {@link RealServer#findProxyProtocol()}, else the sub-service's), which
 * its probes send too ({@link HealthTarget#probedProxyProtocol()}). {@link HealthChecker#apply(LoadBalancer)}
 * runs them; a host that keeps its own set can use {@link #of(LoadBalancer)} directly. Stateless and thread-safe.
 *
 * <pre>{@code
 * Set<HealthTarget> targets = HealthTargets.of(lb); // mail/owa/ex01 (10.0.0.11:443), mail/owa/ex02 ...
 * }</pre>
 */
public final class HealthTargets {

    private HealthTargets() {
    }

    /**
     * The targets of {@code lb}, after checking what the model's own validation cannot: each check's body pattern
     * is RE2J and the CA file of its trust can be read.
     *
     * @throws ConfigurationException listing every such problem with its path in the model, such as
     *     {@code virtualServices[0].subServices[1].healthCheck.bodyPattern: ( (expected: an RE2J regex: ...)}
     */
    public static Set<HealthTarget> of(LoadBalancer lb) {
        Set<HealthTarget> targets = new LinkedHashSet<>();
        List<Violation> problems = new ArrayList<>();
        Map<HealthCheck, Boolean> checked = new IdentityHashMap<>();
        List<VirtualService> services = lb.virtualServices();
        for (int v = 0; v < services.size(); v++) {
            VirtualService vs = services.get(v);
            List<SubService> subs = vs.subServices();
            for (int s = 0; s < subs.size(); s++) {
                SubService sub = subs.get(s);
                if (sub.findHealthCheck().isEmpty()) {
                    continue;
                }
                HealthCheck check = sub.findHealthCheck().get();
                if (checked.put(check, Boolean.TRUE) == null) {
                    validate(check, "virtualServices[" + v + "].subServices[" + s + "].healthCheck.", problems);
                }
                for (RealServer server : sub.realServers()) {
                    ProxyProtocol proxy = server.findProxyProtocol().orElse(sub.proxyProtocol());
                    targets.add(HealthTarget.of(vs.name(), sub.name(), server.name(), server.address(), check,
                            proxy));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return Collections.unmodifiableSet(targets);
    }

    /**
     * Checks what {@link HealthCheck.Builder#build()} leaves to the checker: the body pattern's RE2J syntax and the
     * CA file of {@link HealthCheck.Trust#CERTIFICATES} trust (read here). A reader of configuration files calls it
     * after {@code build()} to report these problems with the file's path.
     *
     * @throws ConfigurationException naming the field ({@code bodyPattern}, {@code trust}) and the value
     */
    public static void validate(HealthCheck check) {
        List<Violation> problems = new ArrayList<>();
        validate(check, "", problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    private static void validate(HealthCheck check, String path, List<Violation> problems) {
        if (!check.bodyPattern().isEmpty()) {
            try {
                BodyPatterns.compiled(check.bodyPattern());
            } catch (PatternSyntaxException e) {
                problems.add(new Violation(path + "bodyPattern", check.bodyPattern()
                        + " (expected: an RE2J regular expression: " + e.getDescription() + ")"));
            }
        }
        boolean tls = check.type() == HealthCheck.Type.HTTPS || check.type() == HealthCheck.Type.GRPCS;
        if (tls && check.trust() == HealthCheck.Trust.CERTIFICATES) {
            try {
                CheckTrust.of(check);
            } catch (RuntimeException e) {
                problems.add(new Violation(path + "trust", check.trustedCaFile()
                        + " (expected: a readable PEM file with a CA certificate: " + e.getMessage() + ")"));
            }
        }
    }
}
