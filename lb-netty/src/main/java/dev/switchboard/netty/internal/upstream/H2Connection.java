package dev.switchboard.netty.internal.upstream;

import dev.switchboard.api.Address;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 connection to a real server, as the last handler of its pipeline (after Netty's multiplex handler): it
 * is ready when the server's first SETTINGS frame arrives (after the TLS handshake, whose ALPN must have chosen
 * {@code h2}), and opens request streams while fewer than the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS}
 * (at most {@link #MAX_STREAMS}) are open. A GOAWAY from the server drains it: streams it processes go on, no new
 * ones come, and it closes when the last one ends. It closes when idle with no stream open, and fails its setup
 * when the server is not ready within the connect timeout. Event loop only (the connection's).
 */
final class H2Connection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(H2Connection.class);

    /** Streams at most per connection, whatever the server allows; the next ones open another connection. */
    static final int MAX_STREAMS = 100;
    /** The receive window of one stream: what a client that does not read makes the gateway hold, at most. */
    static final int STREAM_WINDOW = 65_535;
    /** The connection's receive window: every stream's full window, so that a stalled stream stalls no other. */
    static final int CONNECTION_WINDOW = STREAM_WINDOW * MAX_STREAMS;

    private final UpstreamStreams.Server server;
    private final ChannelHandler streamInitializer;
    private final long setupNanos;
    private Channel channel;
    private Http2StreamChannelBootstrap streams;
    private ScheduledFuture<?> setupTimer;
    private Throwable failure;
    private boolean ready;
    private boolean goingAway;
    private int open;
    private int maxStreams = MAX_STREAMS;

    H2Connection(UpstreamStreams.Server server, ChannelHandler streamInitializer, long setupNanos) {
        this.server = server;
        this.streamInitializer = streamInitializer;
        this.setupNanos = setupNanos;
    }

    Address address() {
        return server.address();
    }

    /** Whether a stream may be opened here now. */
    boolean hasRoom() {
        return ready && !goingAway && open < maxStreams && channel.isActive();
    }

    /** Opens a request stream for {@code promise} (the caller checked {@link #hasRoom()}). */
    void openStream(Promise<Channel> promise) {
        open++;
        Promise<Http2StreamChannel> opening = channel.eventLoop().newPromise();
        opening.addListener(f -> {
            if (f.isSuccess()) {
                Http2StreamChannel stream = opening.getNow();
                stream.closeFuture().addListener(c -> streamEnded());
                if (!promise.trySuccess(stream)) {
                    stream.close();
                }
            } else {
                streamEnded();
                promise.tryFailure(f.cause());
            }
        });
        streams.open(opening);
    }

    private void streamEnded() {
        open--;
        if (goingAway && open == 0) {
            channel.close();
        }
        server.slotFreed();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        streams = new Http2StreamChannelBootstrap(channel).option(ChannelOption.AUTO_READ, false)
                .handler(streamInitializer);
        setupTimer = ctx.executor().schedule(() -> {
            if (!ready) {
                fail(new ConnectException("no HTTP/2 SETTINGS from " + address() + " within "
                        + TimeUnit.NANOSECONDS.toMillis(setupNanos) + " ms"));
            }
        }, setupNanos, TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(c -> closed());
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl != null) {
            ssl.handshakeFuture().addListener(h -> {
                String selected = ssl.engine().getApplicationProtocol(); // SslHandler's own asks a Netty wrapper
                if (h.isSuccess() && !"h2".equals(selected)) {
                    fail(new SSLHandshakeException("real server " + address() + " did not select h2 by ALPN"
                            + " (selected: " + (selected == null || selected.isEmpty() ? "none" : selected) + ")"));
                }
            });
        }
    }

    private void fail(Throwable cause) {
        LOG.debug("{}: {}", channel, cause.toString());
        if (failure == null) {
            failure = cause;
        }
        if (channel != null) { // null only when the channel never registered (its connect fails too)
            channel.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2SettingsFrame settings) {
                Long max = settings.settings().maxConcurrentStreams();
                if (max != null) {
                    maxStreams = (int) Math.min(MAX_STREAMS, max);
                }
                if (!ready && failure == null) {
                    ready = true;
                    setupTimer.cancel(false);
                    ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - STREAM_WINDOW));
                    server.ready(this);
                } else {
                    server.slotFreed();
                }
            } else if (msg instanceof Http2GoAwayFrame away) {
                LOG.debug("{}: GOAWAY from {} (last stream {}, error {}), {} streams open", channel, address(),
                        away.lastStreamId(), away.errorCode(), open);
                goingAway = true;
                server.goingAway(this);
                if (open == 0) {
                    channel.close();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && open == 0) {
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    private void closed() {
        setupTimer.cancel(false);
        server.closed(this, failure != null ? failure
                : new ConnectException("connection to " + address() + " closed before HTTP/2 SETTINGS"));
    }

    /** The TCP connect failed with {@code cause}. */
    void connectFailed(Throwable cause) {
        fail(cause);
        server.closed(this, cause);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}", ctx.channel(), cause.toString());
        if (!ready && failure == null) {
            failure = cause;
        }
        ctx.close();
    }
}
