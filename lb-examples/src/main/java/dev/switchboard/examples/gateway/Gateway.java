package dev.switchboard.examples.gateway;

import dev.switchboard.examples.gateway.admin.GatewayControl;
import dev.switchboard.examples.gateway.admin.ProbeView;
import dev.switchboard.netty.GatewayListener;
import dev.switchboard.netty.HttpProxy;
import dev.switchboard.netty.transport.NettyTransport;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.event.EventKind;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.EventHistory;
import dev.switchboard.config.ConfigFileException;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.examples.gateway.admin.AdminServer;
import dev.switchboard.examples.gateway.admin.FleetStatsSource;
import dev.switchboard.examples.gateway.fleet.ClusterValues;
import dev.switchboard.examples.gateway.fleet.FleetLink;
import dev.switchboard.cluster.ClusterMember;
import dev.switchboard.config.ClusterValueCheck;
import dev.switchboard.netty.limit.ConnectionBudget;
import dev.switchboard.netty.TcpProxy;
import dev.switchboard.netty.VirtualHostListener;
import dev.switchboard.health.HealthChecker;
import dev.switchboard.health.OutlierDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The reference gateway: one {@link DispatchEngine}, one {@link HealthChecker} (active checks), one
 * {@link OutlierDetector} (passive detection from lease outcomes), a listener per listen address ({@link HttpProxy}
 * for {@code http}/{@code https}, {@link TcpProxy} for {@code tcp}, a {@link VirtualHostListener} where several
 * virtual services share the address by {@code hostNames}; see {@link ListenerGroups}) and the admin API, all on one
 * {@link NettyTransport}. With a {@code cluster} section the gateway is a member of a fleet: its {@link ClusterMember}
 * is started (joined, the peers' persistence entries loaded) before the engine is built on it, and closed after the
 * engine; without one no cluster class is loaded. Thread-safe; {@link #reload} and {@link #stop} are serialized.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.start(GatewayConfigReader.read(Path.of("mail.json")), Path.of("mail.json"))) {
 *     System.out.println(gateway.address("mail"));
 *     gateway.awaitStop();
 * }
 * }</pre>
 */
public final class Gateway implements GatewayControl, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Optional<Path> source;
    private final NettyTransport transport;
    private final DispatchEngine engine;
    private final HealthChecker health;
    private final OutlierDetector outliers;
    private final EventHistory events = EventHistory.create();
    private final Optional<FleetLink> fleet;
    private final GatewayListeners listeners;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final EdgeAuthentication edge = new EdgeAuthentication();
    private volatile GatewayConfig config;
    private GatewayListener admin;
    private boolean stopping;

    private Gateway(GatewayConfig config, Optional<Path> source, NettyTransport transport, Optional<FleetLink> fleet) {
        this.config = config;
        this.source = source;
        this.transport = transport;
        this.fleet = fleet;
        DispatchEngine.Builder builder = DispatchEngine.builder(config.loadBalancer()).listener(events);
        if (fleet.isPresent()) {
            builder.fleet(fleet.get().fleet());
            fleet.get().recordMembership(events);
        }
        this.engine = builder.build();
        this.listeners = new GatewayListeners(transport, engine);
        this.health = HealthChecker.builder(engine).build();
        this.outliers = OutlierDetector.builder(engine).build();
        engine.setOutcomeListener(outliers);
    }

    /** Starts a gateway that cannot {@link #reload()} (no file). */
    public static Gateway start(GatewayConfig config) {
        return start(config, Optional.empty(), NettyTransport.create());
    }

    /** Starts a gateway from {@code config}, which was read from {@code source} ({@link #reload()} reads it again). */
    public static Gateway start(GatewayConfig config, Path source) {
        return start(config, Optional.of(source), NettyTransport.create());
    }

    /**
     * Starts the cluster member if the configuration has a {@code cluster} section (it returns once the peers'
     * entries are loaded), builds the engine, binds every listener, then the admin API, then starts the health
     * checks. If a step fails everything started so far is closed and the exception is rethrown.
     *
     * @throws IllegalArgumentException when a value of the {@code cluster} section is bad ({@code cluster.member:
     *         ...}); {@link GatewayConfigReader#read(Path, ClusterValueCheck)} with {@link #clusterCheck()} reports
     *         them all with the file's other problems
     * @throws IllegalStateException when the cluster member cannot start
     */
    public static Gateway start(GatewayConfig config, Optional<Path> source, NettyTransport transport) {
        Objects.requireNonNull(config, "config");
        List<String> unsupported = UnsupportedKeys.problems(config);
        if (!unsupported.isEmpty()) {
            transport.close();
            throw new IllegalArgumentException(String.join("; ", unsupported));
        }
        Optional<FleetLink> fleet = Optional.empty();
        if (config.findCluster().isPresent()) { // no cluster class is loaded otherwise
            try {
                fleet = Optional.of(FleetLink.start(config.cluster()));
            } catch (RuntimeException e) {
                transport.close();
                throw e;
            }
        }
        Gateway gateway;
        try {
            gateway = new Gateway(config, source, transport, fleet);
        } catch (RuntimeException e) { // the engine refused the model: leave the cluster again
            if (fleet.isPresent()) {
                fleet.get().close();
            }
            transport.close();
            throw e;
        }
        try {
            gateway.bindAll();
        } catch (RuntimeException e) {
            gateway.closeNow();
            throw e;
        }
        return gateway;
    }

    private synchronized void bindAll() {
        updateEdge(config);
        listeners.bindAll(config);
        edge.applyTo(listeners.all());
        FleetStatsSource fleetStats = fleet.isPresent() ? fleet.get().publishStats(this) : FleetStatsSource.none();
        if (config.admin().enabled()) {
            admin = AdminServer.bind(transport, this, config.admin(), fleetStats);
            LOG.info("admin API on http://{}/", hostPort(admin.localAddress()));
        }
        health.apply(config.loadBalancer());
    }

    /** The bound address of virtual service {@code name}. */
    public synchronized InetSocketAddress address(String name) {
        return listeners.address(name);
    }

    /**
     * The judge of a file's {@code cluster} values (the cluster module's rules), for
     * {@link GatewayConfigReader#read(Path, ClusterValueCheck)}; it loads the cluster classes only when a file has a
     * {@code cluster} section.
     */
    public static ClusterValueCheck clusterCheck() {
        return cluster -> ClusterValues.problems(cluster);
    }

    /**
     * Reads {@code file} as this gateway runs it: {@link GatewayConfigReader#read(Path, ClusterValueCheck)} with
     * {@link #clusterCheck()}, and what the reader accepts but this gateway cannot honour yet refused (today
     * pre-authentication: {@code authentication}, {@code auth}).
     *
     * @throws ConfigFileException listing every problem
     */
    public static GatewayConfig read(Path file) {
        return UnsupportedKeys.refuse(GatewayConfigReader.read(file, clusterCheck()));
    }

    /**
     * This gateway's member of the fleet (for fleet statistics and admin states), or empty when the configuration
     * has no {@code cluster} section.
     */
    public Optional<ClusterMember> clusterMember() {
        return fleet.isPresent() ? Optional.of(fleet.get().member()) : Optional.empty();
    }

    /** The admin API's bound address, if the configuration has one. */
    public synchronized Optional<InetSocketAddress> findAdminAddress() {
        return admin == null ? Optional.empty() : Optional.of(admin.localAddress());
    }

    @Override
    public DispatchEngine engine() {
        return engine;
    }

    @Override
    public GatewayConfig config() {
        return config;
    }

    @Override
    public Optional<ProbeView> findLastProbe(String virtualService, String subService, String server) {
        return health.findLastProbe(virtualService, subService, server)
                .map(p -> new ProbeView(p.time(), p.latency(), p.status(), p.success(), p.reason()));
    }

    @Override
    public Optional<ConnectionBudget> findConnectionBudget() {
        return Optional.of(transport.connectionBudget());
    }

    @Override
    public Optional<EventHistory> findEventHistory() {
        return Optional.of(events);
    }

    @Override
    public void reload() {
        Path file = source.orElseThrow(() -> new IllegalStateException(
                "reload: the gateway was not started from a configuration file"));
        GatewayConfig next;
        try {
            next = read(file);
        } catch (ConfigFileException e) {
            ReloadEvents.refused(events, e);
            throw e;
        }
        reload(next);
    }

    /**
     * Swaps in {@code next}: the engine reconfigures (persistence, counters and admin states of servers that keep
     * their names are kept), health checks are added and removed, listeners of new virtual services are bound,
     * those of removed ones closed. A kept listener takes its new settings in place ({@link HttpProxy#update}): new
     * TLS handshakes present the new certificates and keys (open connections keep theirs), new connections and
     * requests read the new timeouts, limits, forwarded headers, trusted proxies and {@code Expect} policy. A listener
     * whose address or protocol changed, or one of the settings that only a new bind applies (see
     * {@link ListenerChanges}), is rebound: the old one stops accepting and lets its connections finish (bounded by
     * {@code timeouts.shutdown}) while the new one is bound as soon as the address is free (port 0 then picks a new
     * port). Certificates are loaded when {@code next} is read, so a file that cannot be loaded fails the read and
     * nothing changes. The {@code cluster} section cannot change while the gateway runs: a {@code next} whose section
     * differs is refused as a whole (logged, and thrown) and the running cluster is kept; a restart applies it.
     *
     * <p>A refused reload is recorded in the {@linkplain #findEventHistory() event history} as a
     * {@code configuration-error} event; a reload that keeps the engine's model as a {@code reload} event.
     *
     * @throws ConfigFileException if {@code next} changes the {@code cluster} section (nothing changes then), or if
     *         a new listener cannot be bound (the engine then runs {@code next} already)
     */
    public synchronized void reload(GatewayConfig next) {
        try {
            swap(next);
        } catch (ConfigFileException | ConfigurationException e) {
            ReloadEvents.refused(events, e);
            throw e;
        }
    }

    private void swap(GatewayConfig next) {
        if (stopping) {
            throw new IllegalStateException("reload: the gateway is stopping");
        }
        if (!next.cluster().equals(config.cluster())) {
            String line = "cluster: changed, which only a restart applies; nothing was reloaded and the running"
                    + " cluster is kept (got " + next.cluster() + ", running " + config.cluster() + ")";
            LOG.warn("reload refused: {}", line);
            throw new ConfigFileException(List.of(line));
        }
        updateEdge(next); // a bad directory setting refuses the reload before anything changed
        if (!engine.reconfigure(next.loadBalancer())) { // a new model is recorded by the engine's own event
            events.record(EventKind.RELOAD, "", "", "", "", "", "engine model unchanged; listener settings applied");
        }
        health.apply(next.loadBalancer()); // kept checks keep their state; the reader checked patterns and CA files
        List<String> errors = new ArrayList<>();
        listeners.rebind(config, next, grace(), errors);
        edge.applyTo(listeners.all());
        config = next;
        LOG.info("configuration reloaded: {} virtual services", next.loadBalancer().virtualServices().size());
        if (!errors.isEmpty()) {
            throw new ConfigFileException(errors);
        }
    }

    /** The directory client and the pre-authentication for {@code next} (rebuilt when its settings changed). */
    private void updateEdge(GatewayConfig next) {
        try {
            edge.update(next, engine);
        } catch (IllegalArgumentException e) {
            throw new ConfigFileException(List.of("authentication." + (next.ldap().enabled() ? "ldap" : "radius")
                    + ": " + e.getMessage()));
        }
    }

    /**
     * Stops accepting on every listener, lets in-flight work finish for at most {@code grace}, then stops health
     * checks, the engine and the event loops. Idempotent; later calls return the same future.
     */
    public CompletableFuture<Void> stop(Duration grace) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        synchronized (this) {
            if (stopping) {
                return stopped;
            }
            stopping = true;
            listeners.all().forEach(l -> closing.add(l.close(grace)));
            if (admin != null) {
                closing.add(admin.close(Duration.ZERO));
            }
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                .orTimeout(grace.toMillis() + 5_000, TimeUnit.MILLISECONDS)
                .whenComplete((ok, error) -> {
                    closeNow();
                    stopped.complete(null);
                });
        return stopped;
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitStop() {
        stopped.join();
    }

    /** Stops with the shutdown grace of the first listener (default 10 s) and waits. */
    @Override
    public void close() {
        stop(grace()).join();
    }

    private Duration grace() {
        return config.listeners().isEmpty() ? Duration.ofSeconds(10)
                : config.listeners().get(0).timeouts().shutdown();
    }

    private void closeNow() {
        synchronized (this) {
            listeners.all().forEach(l -> l.close(Duration.ZERO));
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            edge.close();
        }
        health.close();
        outliers.close();
        engine.close();
        if (fleet.isPresent()) {
            fleet.get().close();
        }
        transport.close();
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
