package dev.switchboard.engine;

import dev.switchboard.api.spi.ExchangeRecorder;
import dev.switchboard.engine.internal.snapshot.CompiledSubService;
import dev.switchboard.engine.internal.snapshot.CompiledVirtualService;
import dev.switchboard.engine.internal.snapshot.RoutingTable;
import dev.switchboard.engine.internal.state.ServerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The engine's counters read live, for metrics libraries (lb-micrometer's {@code SwitchboardMetrics}): views of
 * each virtual service, sub-service and real server whose methods read the engine's own counters when called (no
 * snapshot, no allocation per read), a hook for latency histograms ({@link #recorders}) and a signal after each
 * reconfiguration ({@link #addSwapListener}). A view stays valid while its entry keeps its name: the counters of
 * a real server, sub-service or virtual service survive reconfiguration with it, so a meter built on a view keeps
 * counting; an entry the new model drops reads zeros from then on and should be forgotten.
 *
 * <pre>{@code
 * LiveStats live = engine.liveStats();
 * for (LiveVirtualService vs : live.virtualServices()) {
 *     for (LiveSubService sub : vs.subServices()) {
 *         for (LiveRealServer rs : sub.realServers()) {
 *             registry.counter(rs.name(), rs::requests);
 *         }
 *     }
 * }
 * live.addSwapListener(() -> resync(live.virtualServices()));
 * }</pre>
 *
 * <p>Thread-safe. The views list is built from the table in force when called.
 */
public final class LiveStats {

    private final Supplier<RoutingTable> table;
    private final ControlPlane control;
    private final List<Runnable> swapListeners = new CopyOnWriteArrayList<>();
    private ExchangeRecorder.Factory recorders; // control plane only

    LiveStats(Supplier<RoutingTable> table, ControlPlane control) {
        this.table = table;
        this.control = control;
    }

    /** Views of the virtual services in force, in configuration order, each with its sub-services and servers. */
    public List<LiveVirtualService> virtualServices() {
        List<LiveVirtualService> out = new ArrayList<>();
        for (CompiledVirtualService vs : table.get().virtualServices()) {
            out.add(new LiveVirtualService(this, vs.name(), vs.counters()));
        }
        return List.copyOf(out);
    }

    /**
     * Sets the factory of the {@link ExchangeRecorder}s that hear every lease outcome of each real server (for
     * latency histograms): asked at once for every server in force, and after each reconfiguration for the servers
     * it adds; a server that keeps its name keeps its recorder. Runs on the control plane.
     *
     * @throws IllegalStateException when a factory is set already (one metrics binding per engine; give it a
     *     composite registry to publish to several)
     */
    public void recorders(ExchangeRecorder.Factory factory) {
        Objects.requireNonNull(factory, "factory");
        control.change(() -> {
            if (recorders != null) {
                throw new IllegalStateException("exchange recorders are set already (one metrics binding per engine)");
            }
            recorders = factory;
            giveRecorders();
            return null;
        });
    }

    /** Removes the recorders of every server in force; a factory may be set again. Runs on the control plane. */
    public void clearRecorders() {
        control.change(() -> {
            recorders = null;
            for (ServerState s : table.get().servers().values()) {
                s.traffic().recorder(ExchangeRecorder.NONE);
            }
            return null;
        });
    }

    /**
     * Runs {@code listener} after every reconfiguration that swaps a table (in order, outside the engine's lock, on
     * the thread that reconfigured, like {@link dev.switchboard.api.event.EngineListener}); it may read
     * {@link #virtualServices()}. An exception it throws is logged and ignored.
     */
    public void addSwapListener(Runnable listener) {
        swapListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeSwapListener(Runnable listener) {
        swapListeners.remove(listener);
    }

    /** After a table swap, inside the change: recorders for the new servers, then the listeners (queued). */
    void swapped() {
        giveRecorders();
        for (Runnable l : swapListeners) {
            control.publish(l);
        }
    }

    private void giveRecorders() {
        ExchangeRecorder.Factory f = recorders;
        if (f == null) {
            return;
        }
        for (ServerState s : table.get().servers().values()) {
            if (s.traffic().recorder() == ExchangeRecorder.NONE) {
                ExchangeRecorder r = f.recorder(s.virtualService(), s.subService(), s.name());
                s.traffic().recorder(Objects.requireNonNull(r, "recorder"));
            }
        }
    }

    Optional<CompiledVirtualService> findVirtualService(String name) {
        return table.get().findVirtualService(name);
    }

    Optional<CompiledSubService> findSubService(String virtualService, String name) {
        CompiledVirtualService vs = table.get().virtualService(virtualService);
        if (vs == null) {
            return Optional.empty();
        }
        for (CompiledSubService sub : vs.subServices()) {
            if (sub.name().equals(name)) {
                return Optional.of(sub);
            }
        }
        return Optional.empty();
    }
}
