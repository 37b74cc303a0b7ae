package dev.switchboard.netty;

import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.auth.PreAuthentication;
import dev.switchboard.netty.internal.http.ClientInitializer;
import dev.switchboard.netty.internal.http.ProxyContext;
import dev.switchboard.netty.internal.upstream.UpstreamPool;
import dev.switchboard.netty.limit.ClientTimeoutCounters;
import dev.switchboard.netty.limit.ConnectionLimiter;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.transport.NettyTransport;
import dev.switchboard.tls.ServerTlsContext;
import dev.switchboard.tls.TlsContexts;
import dev.switchboard.tls.UpstreamTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP reverse proxy of one virtual service (HTTP/1.1, and HTTP/2 from clients when the settings offer it: ALPN
 * {@code h2} on https, h2c with prior knowledge on http; every HTTP/2 stream is proxied on its own as an HTTP/1.1
 * exchange with a real server) as handlers for a Netty server the host owns: put
 * {@link #initializer()} in the pipeline of every accepted connection and the proxy does the rest (TLS termination
 * when the settings say https, strict request parsing with the listener's limits and timeouts, dispatch through the
 * engine, header edits, hop-by-hop removal, forwarded headers, the keep-alive upstream pool, the lease protocol,
 * retries, the access log). {@link HttpProxy} is this plus a bound port.
 *
 * <pre>{@code
 * NettyTransport transport = NettyTransport.wrap(bossGroup, workerGroup);     // the host's own event loops
 * HttpProxyChannels proxy = HttpProxyChannels.create(transport, engine, settings);
 * new ServerBootstrap().group(bossGroup, workerGroup).channel(NioServerSocketChannel.class)
 *         .childOption(ChannelOption.AUTO_READ, false)                        // the proxy reads when it is ready
 *         .childHandler(new ChannelInitializer<>() {
 *             protected void initChannel(Channel ch) {
 *                 ch.pipeline().addLast(new MyAuditHandler());                // the host's handlers first
 *                 ch.pipeline().addLast(proxy.initializer());
 *             }
 *         }).bind(8080);
 * ...
 * proxy.close(Duration.ofSeconds(10)).join();
 * }</pre>
 *
 * <p>Every connection must run on an event loop of {@code transport} (its upstream connections are made on the same
 * loop, with the transport's channel class), and child channels should have {@code AUTO_READ} off: the proxy asks
 * for one request at a time. With {@link ListenerSettings#acceptProxyProtocol()} the initializer puts the PROXY
 * protocol reader at the very front of the pipeline (before the host's own handlers too), and nothing behind it sees
 * the connection as active before the header is in; read the client's address with {@link ClientAddress}.
 * Thread-safe.
 */
public final class HttpProxyChannels {

    private final ProxyContext context;
    private final Optional<ServerTlsContext> serverTls;
    private final UpstreamPool pool;
    private final ChannelGroup clients;
    private final ClientInitializer initializer;
    private final AtomicReference<CompletableFuture<Void>> closing = new AtomicReference<>();

    private HttpProxyChannels(ProxyContext context, Optional<ServerTlsContext> serverTls, UpstreamPool pool,
            ChannelGroup clients) {
        this.context = context;
        this.serverTls = serverTls;
        this.pool = pool;
        this.clients = clients;
        this.initializer = new ClientInitializer(context, serverTls, clients);
    }

    /**
     * The proxy of the virtual service {@code settings.virtualService()} of {@code engine}: makes the server TLS
     * context (https), the upstream pool (re-encrypting when {@code settings} has upstream TLS) and the
     * connection limiter (under {@code transport}'s connection budget).
     *
     * @throws dev.switchboard.api.ConfigurationException when a TLS context cannot be made from the settings
     * @throws IllegalArgumentException if {@code settings} is for a tcp virtual service
     */
    public static HttpProxyChannels create(NettyTransport transport, DispatchEngine engine,
            ListenerSettings settings) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(engine, "engine");
        if (!settings.protocol().isLayer7()) {
            throw new IllegalArgumentException(settings.virtualService() + ".protocol: "
                    + settings.protocol().configName() + " (expected: http or https; tcp is TcpProxy's)");
        }
        Optional<ServerTlsContext> serverTls = settings.findTls().map(TlsContexts::server);
        Optional<UpstreamTls> upstreamTls = settings.findUpstreamTls().map(TlsContexts::upstream);
        UpstreamPool pool = UpstreamPool.create(transport, settings.timeouts(), settings.limits(), upstreamTls);
        ConnectionLimiter limiter = transport.connectionBudget().limiter(settings);
        ProxyContext context = ProxyContext.of(engine, settings, pool, limiter);
        ChannelGroup clients = new DefaultChannelGroup(settings.virtualService(), GlobalEventExecutor.INSTANCE);
        return new HttpProxyChannels(context, serverTls, pool, clients);
    }

    /**
     * The handler to add to an accepted connection's pipeline (shareable: one instance for every connection). It
     * admits the connection under the listener's limits (a refused one is answered and closed), then replaces
     * itself with the proxy's handlers.
     */
    public ChannelInitializer<Channel> initializer() {
        return initializer;
    }

    /**
     * Applies {@code next} (same virtual service and protocol) to new connections and requests: timeouts, limits,
     * forwarded headers, trusted proxies, the {@code Expect} policy, the access-log switch, and (https) the
     * certificates and keys of new handshakes. The upstream pool keeps what it was made with.
     *
     * @throws IllegalArgumentException if {@code next} is for another virtual service or protocol; nothing changed
     * @throws RuntimeException if the certificates cannot be put in use; nothing changed then either
     */
    public void update(ListenerSettings next) {
        ListenerSettings before = context.settings();
        context.update(next);
        try {
            serverTls.ifPresent(tls -> tls.reload(next.findTls().orElseThrow().certificates()));
        } catch (RuntimeException e) {
            context.update(before);
            throw e;
        }
    }

    /** The shared state of this virtual service's connections (virtual hosting routes requests between them). */
    /**
     * Checks the credentials of {@code Decision.Authenticate} with {@code preAuthentication} and serves the login
     * page ({@code /.switchboard/login}, {@code /.switchboard/logout}) on virtual services that authenticate.
     * Without it (the default) such requests are answered 501. Applies from the next request; a reload that
     * rebuilds the directory client sets the new one here.
     */
    public void preAuthentication(PreAuthentication preAuthentication) {
        context.preAuthentication(Objects.requireNonNull(preAuthentication, "preAuthentication"));
    }

    /** Stops checking credentials: requests that need it are answered 501 again, no login page is served. */
    public void noPreAuthentication() {
        context.preAuthentication(null);
    }

    ProxyContext context() {
        return context;
    }

    /** The settings new connections and requests read. */
    public ListenerSettings settings() {
        return context.settings();
    }

    /** The TLS context of an https virtual service (its sessions, its certificates). */
    public Optional<ServerTlsContext> serverTls() {
        return serverTls;
    }

    /** Connections opened to real servers so far (a keep-alive pool opens few). */
    public int upstreamConnectionsOpened() {
        return pool.connectionsOpened();
    }

    /** HTTP/2 connections opened to real servers so far ({@code upstreamProtocol: h2}; streams share them). */
    public int upstreamH2ConnectionsOpened() {
        return pool.h2ConnectionsOpened();
    }

    /** Slow clients cut (request heads late, request bodies too slow). */
    public ClientTimeoutCounters clientTimeouts() {
        return context.clientTimeouts();
    }

    /** Client connections open now (those the initializer admitted and that are not closed yet). */
    public int openConnections() {
        return clients.size();
    }

    /**
     * Every open connection closes after its current response (at once when idle); after {@code grace} the rest are
     * closed, then the upstream pool. The host stops accepting first (closes its server channel). Calling it again
     * returns the same future, which completes on {@code loop}.
     */
    public CompletableFuture<Void> close(Duration grace, EventLoop loop) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!closing.compareAndSet(null, done)) {
            return closing.get();
        }
        context.startClosing();
        for (Channel client : clients) {
            ClientInitializer.drain(client);
        }
        awaitDrained(loop, System.nanoTime() + grace.toNanos(), done);
        return done;
    }

    /** Polls on {@code loop} until every client connection is gone or the grace ends, then forces. */
    private void awaitDrained(EventLoop loop, long deadline, CompletableFuture<Void> done) {
        if (clients.isEmpty() || System.nanoTime() - deadline >= 0) {
            clients.close().addListener(f -> pool.closeAll().addListener(g -> {
                context.limiter().close();
                done.complete(null);
            }));
            return;
        }
        loop.schedule(() -> awaitDrained(loop, deadline, done), 20, TimeUnit.MILLISECONDS);
    }
}
