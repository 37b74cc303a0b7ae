package dev.switchboard.examples.gateway;

import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.config.ConfigFileException;
import dev.switchboard.config.GatewayConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What lb-config reads but this gateway cannot honour, refused with an error line in the contract's format, so
 * that {@code --check}, a start and a reload never run a configuration that would be silently ignored: today an
 * {@code auth} other than {@code none} without a directory ({@code authentication.ldap} or {@code
 * authentication.radius}). Stateless.
 */
final class UnsupportedKeys {

    private UnsupportedKeys() {
    }

    /**
     * Every line for what {@code config} asks and this gateway cannot do; empty when it can run it.
     */
    static List<String> problems(GatewayConfig config) {
        List<String> lines = new ArrayList<>();
        LoadBalancer lb = config.loadBalancer();
        if (config.hasDirectory()) {
            return lines; // every auth mode works with a directory; the model checked form against sso
        }
        for (int i = 0; i < lb.virtualServices().size(); i++) {
            VirtualService vs = lb.virtualServices().get(i);
            String path = "virtualServices[" + i + "]";
            policy(path, vs.auth(), lines);
            for (int j = 0; j < vs.subServices().size(); j++) {
                SubService sub = vs.subServices().get(j);
                int at = j;
                sub.findAuth().ifPresent(p -> policy(path + ".subServices[" + at + "]", p, lines));
            }
        }
        return lines;
    }

    /** @throws ConfigFileException listing {@link #problems} when there are any */
    static GatewayConfig refuse(GatewayConfig config) {
        List<String> lines = problems(config);
        if (!lines.isEmpty()) {
            throw new ConfigFileException(lines);
        }
        return config;
    }

    private static void policy(String path, AuthPolicy policy, List<String> lines) {
        if (policy.enabled()) {
            lines.add(path + ".auth: needs a directory to check credentials, expected an authentication.ldap or"
                    + " authentication.radius section or auth none (got \"" + policy.mode().configName()
                    + "\" and no directory)");
        }
    }
}
