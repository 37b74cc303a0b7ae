package dev.switchboard.netty.internal.upstream;

import dev.switchboard.api.Address;
import dev.switchboard.netty.internal.proxyprotocol.ProxyHeader;
import dev.switchboard.netty.internal.proxyprotocol.ProxyHeaderSender;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.Timeouts;
import dev.switchboard.netty.transport.NettyTransport;
import dev.switchboard.tls.UpstreamTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keep-alive connections to real servers, plain or re-encrypted, kept per event loop so that an exchange and its
 * upstream connection always share one thread (no locks, no hand-over between threads). At most
 * {@link Limits#maxPooledPerServer()} idle connections are kept per real server across all loops; an idle one
 * closes after {@link Timeouts#serverIdle()}, or at once when the server closes it or sends an unexpected byte.
 *
 * <pre>{@code
 * UpstreamPool pool = UpstreamPool.create(transport, timeouts, limits, Optional.of(upstreamTls));
 * pool.acquire(channel.eventLoop(), Address.parse("10.0.0.11:443")).addListener(f -> ...);  // on that loop
 * pool.attach(upstream, exchange);  ...  pool.release(upstream, reusable);
 * }</pre>
 *
 * <p>A real server that takes a PROXY protocol header gets it first on every new connection
 * ({@link #acquire(EventLoop, Address, ProxyHeader, Channel)}), and such connections are pooled per header, that is
 * per client: one client's header never fronts another client's requests. They close when their client's connection
 * closes (at once when idle, else when released).
 *
 * <p>Thread-safety: {@link #acquire}, {@link #attach} and {@link #release} must run on the event loop they
 * name (the loop of the connection); {@link #close()} and the counters may be called from any thread.
 */
public final class UpstreamPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPool.class);
    /** Host names are resolved off the event loops (InetAddress blocks); IP literals need no resolution. */
    private static final ExecutorService RESOLVER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "switchboard-resolver");
        t.setDaemon(true);
        return t;
    });

    private final NettyTransport transport;
    private final Timeouts timeouts;
    private final int maxIdlePerServer;
    private final Optional<UpstreamTls> tls;
    /** Idle connections per loop, by {@link Address} or, for those opened with a PROXY header, by {@link ClientKey}. */
    private final Map<EventLoop, Map<Object, ArrayDeque<Channel>>> loops = new ConcurrentHashMap<>();
    private final Map<Address, AtomicInteger> idleCounts = new ConcurrentHashMap<>();
    private final ChannelGroup all = new DefaultChannelGroup("upstream", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger opened = new AtomicInteger();
    private final UpstreamStreams streams;
    private volatile boolean closed;

    /** The pool key of an upstream connection opened with a PROXY header; other connections are keyed by address. */
    private static final AttributeKey<ClientKey> CLIENT_KEY = AttributeKey.valueOf(UpstreamPool.class, "client");
    /** The client connection an upstream connection opened with a PROXY header belongs to. */
    private static final AttributeKey<Channel> CLIENT = AttributeKey.valueOf(UpstreamPool.class, "clientChannel");

    /** Connections opened with {@code header} to {@code address}: only that client's requests may use them. */
    private record ClientKey(Address address, ProxyHeader header) {
    }

    private UpstreamPool(NettyTransport transport, Timeouts timeouts, Limits limits, Optional<UpstreamTls> tls) {
        this.transport = transport;
        this.timeouts = timeouts;
        this.maxIdlePerServer = limits.maxPooledPerServer();
        this.tls = tls;
        this.streams = new UpstreamStreams(transport, timeouts, tls, all);
    }

    /** A pool on {@code transport}'s loops; {@code tls} present means re-encryption to every real server. */
    public static UpstreamPool create(NettyTransport transport, Timeouts timeouts, Limits limits,
            Optional<UpstreamTls> tls) {
        return new UpstreamPool(transport, timeouts, limits, tls);
    }

    /**
     * An idle pooled connection to {@code address}, or a new one (connected and, with TLS, handshaken). Runs on
     * {@code loop}; the future fails with the connect or handshake error.
     */
    public Future<Channel> acquire(EventLoop loop, Address address) {
        return acquire(loop, address, address, null);
    }

    /**
     * An idle connection to {@code address} that was opened with {@code header} on behalf of {@code client}, or a
     * new one that sends {@code header} before anything else (before TLS too). Runs on {@code loop}, the client's.
     */
    public Future<Channel> acquire(EventLoop loop, Address address, ProxyHeader header, Channel client) {
        return acquire(loop, address, new ClientKey(address, header), client);
    }

    /**
     * A new HTTP/2 request stream to {@code address} ({@code upstreamProtocol: h2}), multiplexed on a connection of
     * {@code loop} (see {@link UpstreamStreams}); used like a connection from {@link #acquire(EventLoop, Address)},
     * and {@link #release released} the same way, which ends the stream (with a reset when it had not ended).
     */
    public Future<Channel> acquireStream(EventLoop loop, Address address) {
        if (closed) {
            return loop.newFailedFuture(new IllegalStateException("upstream pool closed"));
        }
        return streams.acquire(loop, address);
    }

    /**
     * Whether {@code upstream}, a stream from {@link #acquireStream}, was not processed by its real server (refused,
     * or above the last stream id of its GOAWAY): its request may go elsewhere whatever its method.
     */
    public static boolean refusedStream(Channel upstream) {
        return upstream.parent() != null && UpstreamStreams.refused(upstream);
    }

    /** {@code address} resolved off the event loops when it is a host name; at once for an IP literal. */
    static Future<InetAddress> resolve(EventLoop loop, Address address) {
        byte[] literal = io.netty.util.NetUtil.createByteArrayFromIpAddressString(address.host());
        if (literal != null) {
            return loop.newSucceededFuture(ipAddress(literal, address));
        }
        Promise<InetAddress> promise = loop.newPromise();
        RESOLVER.execute(() -> {
            try {
                promise.trySuccess(InetAddress.getByName(address.host()));
            } catch (UnknownHostException e) {
                promise.tryFailure(e);
            }
        });
        return promise;
    }

    /** {@code client} is null exactly when {@code key} is the address (no PROXY header). */
    private Future<Channel> acquire(EventLoop loop, Address address, Object key, Channel client) {
        Map<Object, ArrayDeque<Channel>> byKey = loops.get(loop);
        ArrayDeque<Channel> idle = byKey == null ? null : byKey.get(key);
        Channel pooled;
        while (idle != null && (pooled = idle.pollFirst()) != null) {
            idleCount(address).decrementAndGet();
            if (pooled.isActive()) {
                return loop.newSucceededFuture(pooled); // still reading (see release): no epoll change either way
            }
        }
        if (idle != null && idle.isEmpty() && key instanceof ClientKey) {
            byKey.remove(key); // release() makes it again: one entry per client would otherwise stay for good
        }
        Promise<Channel> promise = loop.newPromise();
        if (closed) {
            return promise.setFailure(new IllegalStateException("upstream pool closed"));
        }
        byte[] literal = io.netty.util.NetUtil.createByteArrayFromIpAddressString(address.host());
        if (literal != null) {
            connect(loop, address, key, client, ipAddress(literal, address), promise);
        } else {
            RESOLVER.execute(() -> resolve(loop, address, key, client, promise));
        }
        return promise;
    }

    private static InetAddress ipAddress(byte[] literal, Address address) {
        try {
            return InetAddress.getByAddress(address.host(), literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a byte array of the wrong length, which NetUtil never gives
        }
    }

    private void resolve(EventLoop loop, Address address, Object key, Channel client, Promise<Channel> promise) {
        try {
            InetAddress resolved = InetAddress.getByName(address.host());
            loop.execute(() -> connect(loop, address, key, client, resolved, promise));
        } catch (UnknownHostException e) {
            promise.tryFailure(e);
        }
    }

    private void connect(EventLoop loop, Address address, Object key, Channel client, InetAddress ip,
            Promise<Channel> promise) {
        Optional<ProxyHeader> header = key instanceof ClientKey k ? Optional.of(k.header()) : Optional.empty();
        Bootstrap b = new Bootstrap().group(loop).channel(transport.channelClass())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        Math.max(1, timeouts.connect().toMillis())))
                .handler(new UpstreamInitializer(address, tls, timeouts.serverIdle(), header));
        ChannelFuture connect = b.connect(new InetSocketAddress(ip, address.port()));
        Channel ch = connect.channel();
        all.add(ch);
        if (key instanceof ClientKey k) {
            ch.attr(CLIENT_KEY).set(k);
            ch.attr(CLIENT).set(client);
            client.closeFuture().addListener(c -> discardIdle(loop, k, ch));
        }
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            opened.incrementAndGet();
            ch.closeFuture().addListener(c -> forget(loop, key, address, ch));
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            // the PROXY header (if any) goes out on channelActive, which comes after this listener; a TLS handshake
            // starts after the header, so waiting for the handshake waits for both
            Future<?> ready = ssl != null ? ssl.handshakeFuture() : ProxyHeaderSender.sent(ch);
            if (ready.isSuccess()) {
                promise.trySuccess(ch);
                return;
            }
            ready.addListener(h -> {
                if (h.isSuccess()) {
                    promise.trySuccess(ch);
                } else {
                    ch.close();
                    promise.tryFailure(h.cause());
                }
            });
        });
    }

    /** Hands the connection's events to {@code listener} until {@link #release}. On the connection's loop. */
    public void attach(Channel upstream, UpstreamListener listener) {
        upstream.pipeline().get(UpstreamHandler.class).attach(listener);
    }

    /**
     * Gives the connection back: into the pool when {@code reusable} (the exchange ended cleanly on a keep-alive
     * connection) and the pool has room for the server, closed otherwise. On the connection's loop.
     */
    public void release(Channel upstream, Address address, boolean reusable) {
        upstream.pipeline().get(UpstreamHandler.class).detach();
        if (upstream.parent() != null) { // an HTTP/2 stream: never reused; a reset if it has not ended both ways
            upstream.close();
            return;
        }
        Channel client = upstream.attr(CLIENT).get();
        boolean keep = reusable && !closed && upstream.isActive() && (client == null || client.isActive());
        AtomicInteger count = idleCount(address);
        if (keep && count.incrementAndGet() > maxIdlePerServer) {
            count.decrementAndGet();
            keep = false;
        }
        if (!keep) {
            upstream.close();
            return;
        }
        Object key = client == null ? address : upstream.attr(CLIENT_KEY).get();
        idleOf(upstream.eventLoop(), key).addFirst(upstream);
        // One read stays pending while the connection waits (auto-read stays off), so that a close by the server,
        // or a stray byte, is seen at once; the next exchange reads on from there. Toggling auto-read instead
        // costs two epoll_ctl calls per request.
        upstream.read();
        if (closed) {
            upstream.close();
        }
    }

    /**
     * Takes {@code upstream} out of HTTP for good, after its real server switched protocols ({@code 101}): the HTTP
     * codec, the flow handler, the exchange handler and the server idle timer leave its pipeline, an idle timer of
     * {@code idleNanos} and {@code relay} take their place, and whatever the server sent after its {@code 101}
     * reaches {@code relay} (as {@code ByteBuf}s, with the 101's empty last piece, which it drops). The connection
     * is never pooled again; {@link #close()} still closes it. Auto-read stays off. On the connection's loop.
     */
    public void tunnel(Channel upstream, ChannelHandler relay, long idleNanos) {
        ChannelPipeline p = upstream.pipeline();
        p.get(UpstreamHandler.class).detach();
        p.addLast("tunnel", relay);
        p.remove(UpstreamHandler.class);
        OneMessagePerRead flow = p.get(OneMessagePerRead.class);
        flow.handOver();
        p.remove(flow);
        p.remove("http-encoder");
        p.replace("idle", "idle", new IdleTimeout(idleNanos));
        p.remove("http-decoder"); // last: bytes it holds go on to the relay
    }

    private void forget(EventLoop loop, Object key, Address address, Channel ch) {
        Map<Object, ArrayDeque<Channel>> byKey = loops.get(loop);
        ArrayDeque<Channel> idle = byKey == null ? null : byKey.get(key);
        if (idle != null && idle.remove(ch)) {
            idleCount(address).decrementAndGet();
        }
        if (idle != null && idle.isEmpty() && key instanceof ClientKey) {
            byKey.remove(key); // one entry per client would otherwise stay for good
        }
    }

    /** {@code client} closed: its connection {@code ch} closes now if idle (else {@link #release} closes it). */
    private void discardIdle(EventLoop loop, ClientKey key, Channel ch) {
        Map<Object, ArrayDeque<Channel>> byKey = loops.get(loop);
        ArrayDeque<Channel> idle = byKey == null ? null : byKey.get(key);
        if (idle != null && idle.contains(ch)) {
            ch.close(); // forget() takes it out of the pool
        }
    }

    private ArrayDeque<Channel> idleOf(EventLoop loop, Object key) {
        return loops.computeIfAbsent(loop, l -> new HashMap<>()).computeIfAbsent(key, a -> new ArrayDeque<>());
    }

    private AtomicInteger idleCount(Address address) {
        return idleCounts.computeIfAbsent(address, a -> new AtomicInteger());
    }

    /** Idle connections kept for {@code address} right now, on every loop. */
    public int idleConnections(Address address) {
        AtomicInteger c = idleCounts.get(address);
        return c == null ? 0 : c.get();
    }

    /** Connections opened since the pool was made (a measure of reuse). */
    public int connectionsOpened() {
        return opened.get();
    }

    /** HTTP/2 connections opened since the pool was made (streams are multiplexed on them). */
    public int h2ConnectionsOpened() {
        return streams.connectionsOpened();
    }

    /** Closes every connection, idle or in use; later acquires fail. Does not wait. */
    @Override
    public void close() {
        closeAll();
    }

    /** {@link #close()}, with a future that completes when every connection is closed. */
    public Future<Void> closeAll() {
        closed = true;
        LOG.debug("upstream pool closing {} connections", all.size());
        return all.close();
    }
}
