package dev.switchboard.examples.gateway;

import dev.switchboard.api.Protocol;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.netty.GatewayListener;
import dev.switchboard.netty.HttpProxy;
import dev.switchboard.netty.TcpProxy;
import dev.switchboard.netty.VirtualHostListener;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.transport.NettyTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's listeners by virtual service: an {@link HttpProxy} or a {@link TcpProxy} per listen address, or one
 * {@link VirtualHostListener} for the virtual services that share an address by host name ({@link ListenerGroups});
 * bound at start, and on a reload kept (settings applied in place), rebound or closed ({@link #rebind}). Not
 * thread-safe: the {@link Gateway} calls it under its own lock.
 */
final class GatewayListeners {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayListeners.class);

    private final NettyTransport transport;
    private final DispatchEngine engine;
    private final Map<String, GatewayListener> listeners = new LinkedHashMap<>();

    GatewayListeners(NettyTransport transport, DispatchEngine engine) {
        this.transport = transport;
        this.engine = engine;
    }

    /** Binds a listener for every address of {@code config}. */
    void bindAll(GatewayConfig config) {
        for (List<ListenerSettings> group : ListenerGroups.of(config.listeners())) {
            bindGroup(group);
        }
    }

    /** Every listener (a shared one once per virtual service it serves). */
    Collection<GatewayListener> all() {
        return listeners.values();
    }

    /** The bound address of virtual service {@code name}. */
    InetSocketAddress address(String name) {
        GatewayListener listener = listeners.get(name);
        if (listener == null) {
            throw new IllegalArgumentException("virtual service: '" + name + "' (expected one of " + listeners.keySet()
                    + ")");
        }
        return listener.localAddress();
    }

    /** One listener for the virtual services of one address (virtual hosting when there are several). */
    private void bindGroup(List<ListenerSettings> group) {
        if (group.size() == 1) {
            listeners.put(group.get(0).virtualService(), bind(group.get(0)));
            return;
        }
        GatewayListener shared = VirtualHostListener.bind(transport, engine, group);
        group.forEach(s -> listeners.put(s.virtualService(), shared));
        LOG.info("virtual services {} share {}://{} by host name ({})", group.stream()
                .map(ListenerSettings::virtualService).toList(), group.get(0).protocol().configName(),
                Gateway.hostPort(shared.localAddress()), transport.name());
    }

    private GatewayListener bind(ListenerSettings settings) {
        GatewayListener listener = settings.protocol() == Protocol.TCP
                ? TcpProxy.bind(transport, engine, settings)
                : HttpProxy.bind(transport, engine, settings);
        LOG.info("virtual service '{}' listening on {}://{} ({})", settings.virtualService(),
                settings.protocol().configName(), Gateway.hostPort(listener.localAddress()), transport.name());
        return listener;
    }

    /**
     * Moves from {@code current}'s listeners to {@code next}'s: those of removed virtual services close, kept ones
     * take their new settings in place when {@link ListenerChanges} allows, the others (and every shared address)
     * are rebound once the old listener has released the address; old listeners let their connections finish within
     * {@code grace}. What cannot be bound is added to {@code errors}, the rest goes on.
     */
    void rebind(GatewayConfig current, GatewayConfig next, Duration grace, List<String> errors) {
        List<CompletableFuture<Void>> freed = new ArrayList<>();
        Set<String> regroup = ListenerGroups.shared(current.listeners());
        regroup.addAll(ListenerGroups.shared(next.listeners()));
        unbindShared(regroup, grace, freed);
        for (String name : List.copyOf(listeners.keySet())) {
            if (next.findListener(name).isEmpty()) {
                freed.add(unbind(listeners.remove(name), grace));
            }
        }
        Map<Integer, ListenerSettings> toBind = new LinkedHashMap<>();
        for (int i = 0; i < next.listeners().size(); i++) {
            ListenerSettings settings = next.listeners().get(i);
            if (regroup.contains(settings.virtualService())) {
                continue;
            }
            Optional<ListenerSettings> old = current.findListener(settings.virtualService());
            boolean sameAddress = old.isPresent() && old.get().listen().equals(settings.listen())
                    && old.get().protocol() == settings.protocol();
            List<String> fixed = sameAddress ? ListenerChanges.fixedAtBind(old.get(), settings) : List.of();
            if (sameAddress && fixed.isEmpty()) {
                applyInPlace(i, settings, errors);
                continue;
            }
            if (sameAddress) {
                LOG.info("virtual service '{}': {} changed, which only a new bind applies: rebinding {} (open"
                        + " connections finish on the old listener)", settings.virtualService(),
                        String.join(", ", fixed), settings.listen());
            }
            GatewayListener previous = listeners.remove(settings.virtualService());
            if (previous != null) {
                freed.add(unbind(previous, grace));
            }
            toBind.put(i, settings);
        }
        awaitUnbound(freed);
        bindAfterReload(next, toBind, regroup, errors);
    }

    private void bindAfterReload(GatewayConfig next, Map<Integer, ListenerSettings> toBind, Set<String> regroup,
            List<String> errors) {
        toBind.forEach((i, settings) -> {
            try {
                listeners.put(settings.virtualService(), bind(settings));
            } catch (RuntimeException e) {
                errors.add("virtualServices[" + i + "].listen: cannot bind (got " + settings.listen() + "): "
                        + e.getMessage());
            }
        });
        for (List<ListenerSettings> group : ListenerGroups.of(next.listeners())) {
            if (regroup.contains(group.get(0).virtualService())) {
                try {
                    bindGroup(group);
                } catch (RuntimeException e) {
                    errors.add("virtualServices[" + next.listeners().indexOf(group.get(0)) + "].listen: cannot bind"
                            + " (got " + ListenerGroups.address(group) + "): " + e.getMessage());
                }
            }
        }
    }

    /**
     * A reload binds every shared address (and every address that becomes shared) again: the listeners of
     * {@code names} stop accepting now and their connections finish on them.
     */
    private void unbindShared(Set<String> names, Duration grace, List<CompletableFuture<Void>> freed) {
        Set<GatewayListener> closing = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String name : names) {
            GatewayListener listener = listeners.remove(name);
            if (listener != null && closing.add(listener)) {
                freed.add(unbind(listener, grace));
            }
        }
    }

    /** Starts closing {@code listener} (in-flight work drains in the background); completes once its port is free. */
    private static CompletableFuture<Void> unbind(GatewayListener listener, Duration grace) {
        listener.close(grace);
        return listener.unbound();
    }

    private static void awaitUnbound(List<CompletableFuture<Void>> freed) {
        try {
            CompletableFuture.allOf(freed.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("reload: a closed listener did not release its address in 5 s: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void applyInPlace(int index, ListenerSettings next, List<String> errors) {
        if (listeners.get(next.virtualService()) instanceof HttpProxy http) {
            try {
                http.update(next);
            } catch (RuntimeException e) {
                errors.add("virtualServices[" + index + "].tls: cannot use the reloaded certificates: "
                        + e.getMessage());
                return;
            }
            LOG.info("virtual service '{}': listener settings{} applied in place", next.virtualService(),
                    next.findTls().isPresent() ? " and certificates" : "");
        }
    }
}
