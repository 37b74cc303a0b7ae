package dev.switchboard.netty;

import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.auth.PreAuthentication;
import dev.switchboard.netty.transport.NettyTransport;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.limit.ClientTimeoutCounters;
import dev.switchboard.tls.ServerTlsContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * <p>To put the proxy in a Netty server of your own instead, use {@link HttpProxyChannels}.
 *
 * <p>Thread-safety: thread-safe. All I/O runs on the transport's event loops; nothing there blocks.
 */
public final class HttpProxy implements GatewayListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpProxy.class);

    private final Channel server;
    private final HttpProxyChannels channels;
    private final AtomicReference<CompletableFuture<Void>> closing = new AtomicReference<>();

    private HttpProxy(Channel server, HttpProxyChannels channels) {
        this.server = server;
        this.channels = channels;
    }

    /**
     * Binds {@code settings.listen()} (port 0 picks a free port) and serves the virtual service
     * {@code settings.virtualService()}. Blocks until bound.
     *
     * @throws UncheckedIOException naming the address when it cannot be bound
     * @throws dev.switchboard.api.ConfigurationException when a TLS context cannot be made from the settings
     */
    public static HttpProxy bind(NettyTransport transport, DispatchEngine engine, ListenerSettings settings) {
        HttpProxyChannels channels = HttpProxyChannels.create(transport, engine, settings);
        ServerBootstrap b = new ServerBootstrap().group(transport.acceptors(), transport.workers())
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(channels.initializer());
        InetSocketAddress address = new InetSocketAddress(settings.listen().host(), settings.listen().port());
        ChannelFuture bound = b.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            channels.close(Duration.ZERO, transport.workers().next());
            Throwable cause = bound.cause();
            throw new UncheckedIOException("cannot bind " + settings.listen() + " for virtual service "
                    + settings.virtualService() + ": " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        HttpProxy proxy = new HttpProxy(bound.channel(), channels);
        LOG.info("{}: {} listening on {} ({})", settings.virtualService(), settings.protocol().configName(),
                proxy.localAddress(), transport.name());
        return proxy;
    }

    /**
     * Applies {@code next} (the same virtual service, address and protocol, e.g. from a reloaded file) without
     * rebinding; see {@link HttpProxyChannels#update}. What the upstream pool and the TLS context's parameters were
     * made with stays until the listener is bound again (the reference gateway rebinds then).
     *
     * @throws IllegalArgumentException if {@code next} is for another virtual service or protocol; nothing changed
     * @throws RuntimeException if the certificates cannot be put in use; nothing changed then either
     */
    public void update(ListenerSettings next) {
        channels.update(next);
    }

    /**
     * Checks credentials with {@code preAuthentication} and serves the login page; see
     * {@link HttpProxyChannels#preAuthentication}. Without it requests that need a check are answered 501.
     */
    public void preAuthentication(PreAuthentication preAuthentication) {
        channels.preAuthentication(preAuthentication);
    }

    /** The proxy's handlers and their counters. */
    public HttpProxyChannels channels() {
        return channels;
    }

    /** The TLS context of an https listener, for tests and stats. */
    public Optional<ServerTlsContext> serverTls() {
        return channels.serverTls();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Slow clients cut on this listener (request heads late, request bodies too slow). */
    public ClientTimeoutCounters clientTimeouts() {
        return channels.clientTimeouts();
    }

    @Override
    public CompletableFuture<Void> close(Duration grace) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!closing.compareAndSet(null, done)) {
            return closing.get();
        }
        server.close().addListener(f -> channels.close(grace, server.eventLoop()).whenComplete((ok, e) -> {
            LOG.info("{}: closed", channels.settings().virtualService());
            done.complete(null);
        }));
        return done;
    }

    @Override
    public CompletableFuture<Void> unbound() {
        CompletableFuture<Void> unbound = new CompletableFuture<>();
        server.closeFuture().addListener(f -> unbound.complete(null));
        return unbound;
    }
}
