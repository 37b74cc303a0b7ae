package dev.switchboard.netty;

import dev.switchboard.netty.internal.proxyprotocol.ProxyHeaderReader;
import dev.switchboard.netty.internal.tcp.CarriedClientLimit;
import dev.switchboard.netty.internal.tcp.ClientSide;
import dev.switchboard.netty.internal.tcp.TcpRoute;

import dev.switchboard.api.ConnectionView;
import dev.switchboard.api.Decision;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.transport.NettyTransport;
import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionLimiter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A layer-4 (TCP) virtual service: every accepted connection is dispatched as a whole and its bytes are relayed to
 * the real server the engine picked. TLS, if any, passes through: the first bytes are sniffed for a ClientHello
 * (SNI and session ID go into the {@link ConnectionView}), and the session ID the real server chose is read from its
 * ServerHello and reported to the lease, so that {@code ssl-session-id} persistence sends a resuming client back.
 *
 * <pre>{@code
 * try (NettyTransport transport = NettyTransport.create()) {
 *     TcpProxy imap = TcpProxy.bind(transport, engine, settings);   // settings.protocol() is tcp
 *     ...
 *     imap.close(Duration.ofSeconds(10)).join();
 * }
 * }</pre>
 *
 * <p>Per connection: sniff (at most {@link dev.switchboard.tls.TlsHellos#MAX_HELLO_LENGTH} plus record headers,
 * and at most {@link #MAX_SNIFF_WAIT} or the first-byte timeout if shorter, for protocols where the server speaks
 * first), dispatch (a queued decision is awaited without blocking), connect (connect timeout; a failure is retried
 * on another real server up to {@code limits().maxRetries()} times), replay the sniffed bytes, then relay both ways
 * with back-pressure and half-close until both sides are done or the client-idle timeout passes. The lease is
 * released exactly once, with bytes in and out, the duration and the failure kind.
 *
 * <p>Thread-safe. Each connection runs on one event loop of the transport, client and real-server side alike.
 */
public final class TcpProxy implements GatewayListener {

    /** The longest wait for a client's first bytes before dispatching without TLS information. */
    public static final Duration MAX_SNIFF_WAIT = Duration.ofSeconds(3);

    private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);

    private final Channel server;
    private final ChannelGroup connections;
    private final Duration sniffWait;
    private final String name;
    private final ConnectionLimiter limiter;
    private final AtomicReference<CompletableFuture<Void>> closing = new AtomicReference<>();

    private TcpProxy(Channel server, ChannelGroup connections, ListenerSettings settings, ConnectionLimiter limiter) {
        this.server = server;
        this.limiter = limiter;
        this.connections = connections;
        this.sniffWait = sniffWait(settings);
        this.name = settings.virtualService();
    }

    /**
     * Binds the TCP virtual service {@code settings.virtualService()} on {@code settings.listen()} (port 0: any free
     * port, see {@link #localAddress()}) and dispatches its connections through {@code engine}. Blocks until bound.
     *
     * @throws UncheckedIOException naming the address when it cannot be bound
     * @throws IllegalArgumentException when the settings are not for protocol {@code tcp}
     */
    public static TcpProxy bind(NettyTransport transport, DispatchEngine engine, ListenerSettings settings) {
        Objects.requireNonNull(engine, "engine");
        String vs = settings.virtualService();
        return bind(transport, view -> engine.dispatch(vs, view), settings);
    }

    /** Binds as above, dispatching through {@code dispatcher} (tests wrap the engine to see each connection). */
    static TcpProxy bind(NettyTransport transport, Function<ConnectionView, Decision> dispatcher,
            ListenerSettings settings) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(dispatcher, "dispatcher");
        if (settings.protocol().isLayer7()) {
            throw new IllegalArgumentException(settings.virtualService() + ".protocol: "
                    + settings.protocol().configName() + " (expected: tcp)");
        }
        ChannelGroup connections = new DefaultChannelGroup("tcp-" + settings.virtualService(),
                GlobalEventExecutor.INSTANCE);
        TcpRoute route = new TcpRoute(transport, dispatcher, settings, sniffWait(settings));
        ConnectionLimiter limiter = transport.connectionBudget().limiter(settings);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.layer4Workers(), transport.layer4Workers()) // see layer4Workers: half-closes
                .channel(transport.layer4ServerChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Admission admission = limiter.admit(ch);
                        if (!admission.accepted()) { // closed at accept, whichever limit refused it
                            limiter.refuseAtAccept(ch, admission);
                            return;
                        }
                        connections.add(ch);
                        if (settings.acceptProxyProtocol()) { // first: before the sniffer sees a byte
                            ProxyHeaderReader.addFirst(ch, settings.proxies(), settings.timeouts().requestHead(),
                                    limiter.proxyProtocol());
                            // the carried client is known once the header is in: its per-client slot is taken then
                            ch.pipeline().addLast("carried-limit", new CarriedClientLimit(limiter));
                        }
                        long idle = settings.timeouts().clientIdle().toMillis();
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("client", ClientSide.of(ch, route));
                    }
                });
        InetSocketAddress address = new InetSocketAddress(settings.listen().host(), settings.listen().port());
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            limiter.close();
            Throwable cause = bound.cause();
            throw new UncheckedIOException("tcp virtual service '" + settings.virtualService() + "': cannot bind "
                    + address.getHostString() + ":" + address.getPort() + ": " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        TcpProxy proxy = new TcpProxy(bound.channel(), connections, settings, limiter);
        LOG.info("tcp virtual service '{}' listening on {} (nio)", settings.virtualService(), proxy.localAddress());
        return proxy;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** How long a connection waits for its first bytes before it is dispatched without TLS information. */
    public Duration sniffWait() {
        return sniffWait;
    }

    /** Connections open now (client side). */
    public int openConnections() {
        return connections.size();
    }

    @Override
    public CompletableFuture<Void> close(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!closing.compareAndSet(null, done)) {
            return closing.get();
        }
        done.whenComplete((ok, e) -> limiter.close());
        server.close().addListener(f -> drain(grace, done));
        return done;
    }

    @Override
    public CompletableFuture<Void> unbound() {
        CompletableFuture<Void> unbound = new CompletableFuture<>();
        server.closeFuture().addListener(f -> unbound.complete(null));
        return unbound;
    }

    private void drain(Duration grace, CompletableFuture<Void> done) {
        LOG.info("tcp virtual service '{}' stopped accepting; {} connections open", name, connections.size());
        long deadline = System.nanoTime() + grace.toNanos();
        GlobalEventExecutor.INSTANCE.execute(new Runnable() {
            @Override
            public void run() {
                if (connections.isEmpty()) {
                    done.complete(null);
                } else if (System.nanoTime() - deadline >= 0) {
                    LOG.info("tcp virtual service '{}': closing {} connections after the grace period", name,
                            connections.size());
                    connections.close().addListener(f -> done.complete(null));
                } else {
                    GlobalEventExecutor.INSTANCE.schedule(this, 20, TimeUnit.MILLISECONDS);
                }
            }
        });
    }

    private static Duration sniffWait(ListenerSettings settings) {
        Duration firstByte = settings.timeouts().firstByte();
        return firstByte.compareTo(MAX_SNIFF_WAIT) < 0 ? firstByte : MAX_SNIFF_WAIT;
    }

    @Override
    public String toString() {
        return "TcpProxy[" + name + " " + server.localAddress() + "]";
    }
}
