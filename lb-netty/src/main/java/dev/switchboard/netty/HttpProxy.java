package dev.switchboard.netty;

import dev.switchboard.netty.transport.NettyTransport;

import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.internal.http.ClientInitializer;
import dev.switchboard.netty.limit.ClientTimeoutCounters;
import dev.switchboard.netty.internal.http.ProxyContext;
import dev.switchboard.netty.limit.ConnectionLimiter;
import dev.switchboard.netty.internal.upstream.UpstreamPool;
import dev.switchboard.tls.ServerTlsContext;
import dev.switchboard.tls.TlsContexts;
import dev.switchboard.tls.UpstreamTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/HTTPS reverse proxy of one virtual service: every request goes through
 * {@link DispatchEngine#dispatch(String, dev.switchboard.api.RequestView)} and is forwarded, redirected or answered
 * as decided; bodies stream both ways with back-pressure; connections to real servers are pooled per event loop.
 *
 * <pre>{@code
 * try (NettyTransport transport = NettyTransport.create()) {
 *     HttpProxy proxy = HttpProxy.bind(transport, engine, settings);   // https: TLS contexts built from settings
 *     System.out.println("listening on " + proxy.localAddress());
 *     ...
 *     proxy.close(Duration.ofSeconds(10)).join();
 * }
 * }</pre>
 *
 * <p>Thread-safety: thread-safe. All I/O runs on the transport's event loops; nothing there blocks.
 */
public final class HttpProxy implements GatewayListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpProxy.class);

    private final Channel server;
    private final ProxyContext context;
    private final Optional<ServerTlsContext> serverTls;
    private final UpstreamPool pool;
    private final ChannelGroup clients;
    private final AtomicReference<CompletableFuture<Void>> closing = new AtomicReference<>();

    private HttpProxy(Channel server, ProxyContext context, Optional<ServerTlsContext> serverTls, UpstreamPool pool,
            ChannelGroup clients) {
        this.server = server;
        this.context = context;
        this.serverTls = serverTls;
        this.pool = pool;
        this.clients = clients;
    }

    /**
     * Binds {@code settings.listen()} (port 0 picks a free port) and serves the virtual service
     * {@code settings.virtualService()}. Blocks until bound.
     *
     * @throws UncheckedIOException naming the address when it cannot be bound
     * @throws dev.switchboard.api.ConfigurationException when a TLS context cannot be made from the settings
     */
    public static HttpProxy bind(NettyTransport transport, DispatchEngine engine, ListenerSettings settings) {
        Optional<ServerTlsContext> serverTls = settings.findTls().map(TlsContexts::server);
        Optional<UpstreamTls> upstreamTls = settings.findUpstreamTls().map(TlsContexts::upstream);
        UpstreamPool pool = UpstreamPool.create(transport, settings.timeouts(), settings.limits(), upstreamTls);
        ConnectionLimiter limiter = transport.connectionBudget().limiter(settings);
        ProxyContext context = ProxyContext.of(engine, settings, pool, limiter);
        ChannelGroup clients = new DefaultChannelGroup(settings.virtualService(), GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap().group(transport.acceptors(), transport.workers())
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ClientInitializer(context, serverTls, clients));
        InetSocketAddress address = new InetSocketAddress(settings.listen().host(), settings.listen().port());
        ChannelFuture bound = b.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            pool.close();
            limiter.close();
            Throwable cause = bound.cause();
            throw new UncheckedIOException("cannot bind " + settings.listen() + " for virtual service "
                    + settings.virtualService() + ": " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        HttpProxy proxy = new HttpProxy(bound.channel(), context, serverTls, pool, clients);
        LOG.info("{}: {} listening on {} ({})", settings.virtualService(), context.scheme(), proxy.localAddress(),
                transport.name());
        return proxy;
    }

    /**
     * Applies {@code next} (the same virtual service, address and protocol, e.g. from a reloaded file) without
     * rebinding: new TLS handshakes present {@code next}'s certificates and keys (default and SNI; established
     * connections keep theirs), and new connections and requests read {@code next}'s timeouts, limits, forwarded
     * headers, trusted proxies, {@code Expect} policy and access-log switch. What the upstream pool and the TLS
     * context's parameters were made with stays until the listener is bound again (the reference gateway rebinds then).
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

    /** The TLS context of an https listener, for tests and stats. */
    public Optional<ServerTlsContext> serverTls() {
        return serverTls;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** The pool of connections to real servers, for tests and stats. */
    public UpstreamPool upstreamPool() {
        return pool;
    }

    /** Slow clients cut on this listener (request heads late, request bodies too slow). */
    public ClientTimeoutCounters clientTimeouts() {
        return context.clientTimeouts();
    }

    @Override
    public CompletableFuture<Void> close(Duration grace) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!closing.compareAndSet(null, done)) {
            return closing.get();
        }
        context.startClosing();
        server.close().addListener(f -> {
            for (Channel client : clients) {
                ClientInitializer.drain(client);
            }
            awaitDrained(System.nanoTime() + grace.toNanos(), done);
        });
        return done;
    }

    @Override
    public CompletableFuture<Void> unbound() {
        CompletableFuture<Void> unbound = new CompletableFuture<>();
        server.closeFuture().addListener(f -> unbound.complete(null));
        return unbound;
    }

    /** Polls on the listener's loop until every client connection is gone or the grace ends, then forces. */
    private void awaitDrained(long deadline, CompletableFuture<Void> done) {
        if (clients.isEmpty() || System.nanoTime() - deadline >= 0) {
            clients.close().addListener(f -> pool.closeAll().addListener(g -> {
                context.limiter().close();
                LOG.info("{}: closed", context.settings().virtualService());
                done.complete(null);
            }));
            return;
        }
        server.eventLoop().schedule(() -> awaitDrained(deadline, done), 20, TimeUnit.MILLISECONDS);
    }
}
