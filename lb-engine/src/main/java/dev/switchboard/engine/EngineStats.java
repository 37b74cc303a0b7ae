package dev.switchboard.engine;

import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of the engine's counters, taken by {@link DispatchEngine#stats()}.
 *
 * @param virtualServices one entry per virtual service, in configuration order
 */
public record EngineStats(List<VirtualServiceStats> virtualServices) {

    public EngineStats {
        virtualServices = List.copyOf(virtualServices);
    }

    public Optional<VirtualServiceStats> findVirtualService(String name) {
        return virtualServices.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** The stats of one real server in one sub-service. */
    public Optional<RealServerStats> findRealServer(String virtualService, String subService, String server) {
        return findVirtualService(virtualService)
                .flatMap(v -> v.subServices().stream().filter(s -> s.name().equals(subService)).findFirst())
                .flatMap(s -> s.realServers().stream().filter(r -> r.name().equals(server)).findFirst());
    }
}
