package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.engine.internal.state.ServerState;
import dev.switchboard.engine.internal.state.ServiceCounters;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compiled configuration: virtual services by name plus the live state objects, keyed by name path
 * ({@code vs}, {@code vs/sub}, {@code vs/sub/server}) so that the next compilation can carry them over.
 * Immutable (the state objects it holds are thread-safe); published through one volatile reference.
 */
public final class RoutingTable {

    /** The table before any configuration. */
    public static final RoutingTable EMPTY = new RoutingTable(LoadBalancer.builder().build(), List.of(), Map.of(),
            Map.of(), Map.of());

    private final LoadBalancer model;
    private final List<CompiledVirtualService> virtualServices;
    private final Map<String, CompiledVirtualService> byName;
    private final Map<String, ServerState> servers;
    private final Map<String, ServiceCounters> counters;
    private final Map<String, PersistenceStore> stores;

    RoutingTable(LoadBalancer model, List<CompiledVirtualService> virtualServices, Map<String, ServerState> servers,
            Map<String, ServiceCounters> counters, Map<String, PersistenceStore> stores) {
        this.model = model;
        this.virtualServices = List.copyOf(virtualServices);
        this.byName = Map.copyOf(virtualServices.stream().collect(
                java.util.stream.Collectors.toMap(CompiledVirtualService::name, v -> v)));
        this.servers = Map.copyOf(servers);
        this.counters = Map.copyOf(counters);
        this.stores = Map.copyOf(stores);
    }

    /** Persistence stores by owner and mode (and whether custom). */
    Map<String, PersistenceStore> stores() {
        return stores;
    }

    /** The model this table was compiled from. */
    public LoadBalancer model() {
        return model;
    }

    public List<CompiledVirtualService> virtualServices() {
        return virtualServices;
    }

    /** The virtual service named {@code name}; a hash lookup on the request path. */
    public CompiledVirtualService virtualService(String name) {
        return byName.get(name);
    }

    public Optional<CompiledVirtualService> findVirtualService(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Live server states by {@code vs/sub/server}. */
    public Map<String, ServerState> servers() {
        return servers;
    }

    /** Counters by {@code vs} and {@code vs/sub}. */
    Map<String, ServiceCounters> counters() {
        return counters;
    }

    static String key(String... parts) {
        return String.join("/", parts);
    }
}
