package dev.switchboard.examples.gateway;

import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.HealthBinding;
import dev.switchboard.health.HealthTarget;

import java.util.LinkedHashSet;
import java.util.Set;

/** The health targets of a configuration: one per real server of every sub-service with a check. */
final class HealthTargets {

    private HealthTargets() {
    }

    static Set<HealthTarget> of(GatewayConfig config) {
        Set<HealthTarget> targets = new LinkedHashSet<>();
        for (HealthBinding binding : config.healthChecks()) {
            for (VirtualService vs : config.loadBalancer().virtualServices()) {
                if (!vs.name().equals(binding.virtualService())) {
                    continue;
                }
                for (SubService sub : vs.subServices()) {
                    if (!sub.name().equals(binding.subService())) {
                        continue;
                    }
                    for (RealServer server : sub.realServers()) {
                        targets.add(HealthTarget.of(vs.name(), sub.name(), server.name(), server.address(),
                                binding.check()));
                    }
                }
            }
        }
        return targets;
    }
}
