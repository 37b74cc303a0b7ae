package dev.switchboard.netty.internal.upstream;

import dev.switchboard.api.Address;
import dev.switchboard.netty.settings.Timeouts;
import dev.switchboard.netty.transport.NettyTransport;
import dev.switchboard.tls.UpstreamTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP/2 connections to real servers ({@code upstreamProtocol: h2}), kept per event loop and server like
 * {@link UpstreamPool}'s, with request streams multiplexed over them: h2c with prior knowledge, or h2 by ALPN when
 * the pool re-encrypts. One connection per loop and server to start; another opens when every one is at its
 * server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} (or {@link H2Connection#MAX_STREAMS}); requests that arrive while
 * a connection is being made wait for it. A stream's channel looks to the exchange like an HTTP/1.1 connection of
 * the pool: HTTP message objects both ways (Netty's {@link Http2StreamFrameToHttpObjectCodec}, {@link StreamAdapter}),
 * one message per {@code read()} (so the stream's window is given back only as the client takes the response),
 * the server idle timer, and {@link UpstreamHandler} at the end. Closing a stream channel that has not ended both
 * ways resets it. Thread-safety: {@link #acquire} on the loop it names; {@link #connectionsOpened()} from any thread.
 */
final class UpstreamStreams {

    private final NettyTransport transport;
    private final Timeouts timeouts;
    private final Optional<UpstreamTls> tls;
    private final ChannelGroup all;
    private final ChannelHandler streamInitializer;
    private final Map<EventLoop, Map<Address, Server>> loops = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();

    UpstreamStreams(NettyTransport transport, Timeouts timeouts, Optional<UpstreamTls> tls, ChannelGroup all) {
        this.transport = transport;
        this.timeouts = timeouts;
        this.tls = tls;
        this.all = all;
        long idle = timeouts.serverIdle().toNanos();
        this.streamInitializer = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("idle", new IdleTimeout(idle))
                        .addLast("h2", new Http2StreamFrameToHttpObjectCodec(false, true))
                        .addLast("adapter", new StreamAdapter())
                        .addLast("flow", new OneMessagePerRead(true))
                        .addLast("exchange", new UpstreamHandler(new UpstreamHandler.PooledListener(ch)));
            }
        };
    }

    /** A new request stream to {@code address}, on a connection of {@code loop}; fails as a connect would. */
    Future<Channel> acquire(EventLoop loop, Address address) {
        Map<Address, Server> servers = loops.computeIfAbsent(loop, l -> new HashMap<>());
        Server server = servers.get(address);
        if (server == null) {
            server = new Server(loop, address);
            servers.put(address, server);
        }
        return server.acquire();
    }

    /** HTTP/2 connections opened since the pool was made. */
    int connectionsOpened() {
        return opened.get();
    }

    /** Whether the real server did not process the request stream {@code upstream} (safe to send elsewhere). */
    static boolean refused(Channel upstream) {
        return StreamAdapter.refused(upstream);
    }

    /** The HTTP/2 connections of one real server on one loop, and the requests waiting for one. Loop only. */
    final class Server {
        private final EventLoop loop;
        private final Address address;
        private final List<H2Connection> ready = new ArrayList<>(2);
        private final ArrayDeque<Promise<Channel>> waiting = new ArrayDeque<>();
        private H2Connection connecting;

        Server(EventLoop loop, Address address) {
            this.loop = loop;
            this.address = address;
        }

        Address address() {
            return address;
        }

        Future<Channel> acquire() {
            Promise<Channel> promise = loop.newPromise();
            H2Connection c = withRoom();
            if (c != null) {
                c.openStream(promise);
                return promise;
            }
            waiting.add(promise);
            if (connecting == null) {
                connect();
            }
            return promise;
        }

        private H2Connection withRoom() {
            for (int i = 0; i < ready.size(); i++) {
                if (ready.get(i).hasRoom()) {
                    return ready.get(i);
                }
            }
            return null;
        }

        private void connect() {
            H2Connection c = new H2Connection(this, streamInitializer, Math.max(1, timeouts.connect().toNanos()));
            connecting = c;
            UpstreamPool.resolve(loop, address).addListener(r -> {
                if (r.isSuccess()) {
                    connect(c, (InetAddress) r.getNow());
                } else {
                    closed(c, r.cause());
                }
            });
        }

        private void connect(H2Connection c, InetAddress ip) {
            Bootstrap b = new Bootstrap().group(loop).channel(transport.channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            Math.max(1, timeouts.connect().toMillis())))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            pipeline(ch, c);
                        }
                    });
            ChannelFuture connect = b.connect(new InetSocketAddress(ip, address.port()));
            all.add(connect.channel());
            connect.addListener(f -> {
                if (f.isSuccess()) {
                    opened.incrementAndGet();
                } else {
                    c.connectFailed(f.cause());
                }
            });
        }

        private void pipeline(Channel ch, H2Connection c) {
            if (tls.isPresent()) {
                SslHandler ssl = new SslHandler(tls.get().newEngine(address.host(), address.port(), "h2"));
                ssl.setHandshakeTimeoutMillis(10_000);
                ch.pipeline().addLast("tls", ssl);
            }
            Http2Settings settings = Http2Settings.defaultSettings().pushEnabled(false)
                    .initialWindowSize(H2Connection.STREAM_WINDOW).maxHeaderListSize(65_536);
            ch.pipeline().addLast("idle", new IdleTimeout(timeouts.serverIdle().toNanos()))
                    .addLast("h2", Http2FrameCodecBuilder.forClient().initialSettings(settings).build())
                    .addLast("streams", new Http2MultiplexHandler(NO_PUSH))
                    .addLast("connection", c);
        }

        /** {@code c} got the server's SETTINGS: the waiting requests get streams on it. */
        void ready(H2Connection c) {
            if (connecting == c) {
                connecting = null;
            }
            ready.add(c);
            slotFreed();
        }

        /** A stream ended or the server allowed more: waiting requests take the room. */
        void slotFreed() {
            while (!waiting.isEmpty()) {
                H2Connection c = withRoom();
                if (c == null) {
                    if (connecting == null) {
                        connect();
                    }
                    return;
                }
                c.openStream(waiting.poll());
            }
        }

        /** {@code c} takes no new streams (GOAWAY). */
        void goingAway(H2Connection c) {
            ready.remove(c);
            slotFreed();
        }

        /** {@code c} closed or could not be made ({@code cause}): requests waiting for it fail as a connect. */
        void closed(H2Connection c, Throwable cause) {
            ready.remove(c);
            if (connecting != c) {
                return;
            }
            connecting = null;
            Promise<Channel> p;
            while ((p = waiting.poll()) != null) {
                p.tryFailure(cause);
            }
        }
    }

    /** Servers do not push to the gateway (SETTINGS_ENABLE_PUSH 0); a pushed stream is closed. */
    private static final ChannelHandler NO_PUSH = new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
            ch.close();
        }
    };
}
