package dev.switchboard.examples.gateway.admin;

import dev.switchboard.config.AdminSettings;
import dev.switchboard.netty.GatewayListener;
import dev.switchboard.netty.transport.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The admin API of the reference gateway: JSON over HTTP for stats, admin states, explain and reload, and a stats
 * page for people at {@code GET /}. The endpoints are those of the gateway contract:
 *
 * <pre>{@code
 * GET  /api/stats                               the tree of counters (?scope=cluster: summed over a fleet's members)
 * PUT  /api/real-servers/{server}/state          body {"state":"draining"}: every entry of one host
 * PUT  /api/virtual-services/{vs}/sub-services/{sub}/real-servers/{server}/state   the same, one entry
 * GET  /api/explain?vs=NAME&path=/x&host=h       also method, scheme, header=Name:%20v (repeatable), source, sni
 * POST /api/reload                               the configuration file again
 * GET  /                                         the stats page (?token=TOKEN when one is set; ?filter=ex0&sort=rate)
 * GET  /stats/tables                             the page's tables alone (what it refreshes itself with, in place)
 * }</pre>
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.bind(transport, control, config.admin());
 * ...
 * admin.close(Duration.ofSeconds(1)).join();
 * }</pre>
 *
 * <p>The same thread samples the engine's counters every second for the stats page ({@link StatsSampler}: request
 * rates, sparklines, since when each state holds; latency percentiles of the last minute).
 *
 * <p>Requests are handled one at a time on the server's own thread, off the I/O threads. Unknown names answer
 * 404, bad bodies and parameters 400, other methods 405, a missing or wrong token 401, all as
 * {@code {"status": N, "error": "field: value (expected: ...)"}}. Thread-safe.
 */
public final class AdminServer implements GatewayListener {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_BODY = 16 * 1024;
    private static final int IDLE_SECONDS = 60;

    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final ExecutorService executor;
    private final InetSocketAddress localAddress;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;

    private final MetricsRoute metrics;

    private AdminServer(Channel serverChannel, ChannelGroup connections, ExecutorService executor,
            MetricsRoute metrics) {
        this.metrics = metrics;
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.executor = executor;
        this.localAddress = (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Binds the admin API on {@code settings.listen()} (port 0: any free one, see {@link #localAddress()}) and
     * returns once it accepts connections.
     *
     * @throws IllegalArgumentException {@code admin.token: missing (...)} when the address is not loopback and no
     *                                  token is set; {@code admin.listen: ...} when it cannot be resolved or bound
     */
    public static AdminServer bind(NettyTransport transport, GatewayControl control, AdminSettings settings) {
        return bind(transport, control, settings, FleetStatsSource.none());
    }

    /**
     * Like {@link #bind(NettyTransport, GatewayControl, AdminSettings)}, for a member of a fleet: {@code fleet} gives
     * the other members' stats to {@code GET /api/stats?scope=cluster} and the stats page's fleet section
     * ({@link FleetStatsSource#none()}: a gateway that runs alone, {@code scope=cluster} answers 404).
     *
     * @throws IllegalArgumentException as the other overload
     */
    public static AdminServer bind(NettyTransport transport, GatewayControl control, AdminSettings settings,
            FleetStatsSource fleet) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(fleet, "fleet");
        InetSocketAddress address = new InetSocketAddress(settings.listen().host(), settings.listen().port());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("admin.listen: " + settings.listen()
                    + " (expected: a resolvable host or an IP literal)");
        }
        return bind(transport, control, settings, address, fleet);
    }

    private static AdminServer bind(NettyTransport transport, GatewayControl control, AdminSettings settings,
            InetSocketAddress address, FleetStatsSource fleet) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(control, "control");
        if (!address.getAddress().isLoopbackAddress() && !settings.requiresToken()) {
            throw new IllegalArgumentException("admin.token: missing (expected: a bearer token when admin.listen is"
                    + " not loopback, got " + settings.listen() + ")");
        }
        ChannelGroup connections = new DefaultChannelGroup("admin", GlobalEventExecutor.INSTANCE);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-admin");
            t.setDaemon(true);
            return t;
        });
        AdminAccess access = new AdminAccess(settings.token());
        MetricsRoute metrics = new MetricsRoute(control.engine(),
                Map.of("acceptors", transport.acceptors(), "workers", transport.workers()));
        LatencySource latencies = metrics.latencies();
        StatsSampler sampler = new StatsSampler(Clock.systemUTC(), () -> control.engine().stats(),
                StatsSampler.DEFAULT_INTERVAL, latencies);
        // on the admin thread, between requests: a sample never races a render
        executor.scheduleAtFixedRate(() -> sample(sampler), 0, StatsSampler.DEFAULT_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        AdminRoutes routes = new AdminRoutes(control, fleet, executor, sampler, latencies);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.acceptors(), transport.workers())
                .channel(transport.serverChannelClass())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new AdminReadTimeout(IDLE_SECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_BODY))
                                .addLast(new AdminHandler(access, routes, metrics, executor));
                    }
                });
        try {
            Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
            AdminServer server = new AdminServer(channel, connections, executor, metrics);
            LOG.info("admin API on http://{}/ ({})", format(server.localAddress),
                    settings.requiresToken() ? "bearer token required" : "loopback, no token");
            return server;
        } catch (RuntimeException e) {
            executor.shutdownNow();
            metrics.close();
            throw new IllegalArgumentException("admin.listen: " + settings.listen() + " (cannot bind: " + e + ")", e);
        }
    }

    /** One sample; a failure is logged and the next one still runs (a scheduled task that throws stops for good). */
    private static void sample(StatsSampler sampler) {
        try {
            sampler.run();
        } catch (RuntimeException e) {
            LOG.warn("stats page: a sample of the engine's stats failed", e);
        }
    }

    private static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Stops accepting, gives open admin connections {@code grace} to finish their request, then closes them and
     * stops the admin thread.
     */
    @Override
    public synchronized CompletableFuture<Void> close(Duration grace) {
        if (closing) {
            return closed;
        }
        closing = true;
        serverChannel.close().addListener(f -> serverChannel.eventLoop().schedule(this::closeConnections,
                Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS));
        return closed;
    }

    private void closeConnections() {
        connections.close().addListener(f -> {
            executor.shutdown(); // a request already taken finishes; its answer goes nowhere
            metrics.close();
            LOG.info("admin API on {} closed", format(localAddress));
            closed.complete(null);
        });
    }
}
