package dev.switchboard.netty.internal.http;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Outcome;
import dev.switchboard.netty.internal.upstream.IdleTimeout;
import dev.switchboard.netty.internal.upstream.OneMessagePerRead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection and a real server's connection joined after the server switched protocols ({@code 101}):
 * bytes are relayed both ways as they come, with back-pressure (a side stops reading while the other cannot take
 * more), both connections close when either closes, and after {@code timeouts.tunnelIdle} without a byte either
 * way. The lease stays held, counted as an open tunnel, until the tunnel closes; it is released then with status
 * 101 and the bytes each way, and the access line is written. Bytes that arrive after the close go nowhere. The
 * upstream connection is never pooled again. Event loop only: both connections share one loop.
 */
final class Tunnel {

    private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);

    private final ProxyRequest request;
    private final Decision.Forward lease;
    private final Channel client;
    private final Channel upstream;
    private long bytesIn;
    private long bytesOut;
    private boolean closed;

    private Tunnel(ProxyRequest request, Decision.Forward lease, Channel client, Channel upstream) {
        this.request = request;
        this.lease = lease;
        this.client = client;
        this.upstream = upstream;
    }

    /**
     * Sends {@code answer} (the {@code 101}, fitted to the client) and turns both connections into a tunnel. The
     * caller has reported the tunnel to the lease and no longer handles either connection.
     */
    static void open(ProxyRequest request, Decision.Forward lease, Channel upstream, HttpResponse answer) {
        ClientConnection conn = request.connection();
        Channel client = conn.channel();
        conn.writeHead(answer, false); // through the HTTP encoder, which leaves next
        Tunnel tunnel = new Tunnel(request, lease, client, upstream);
        long idleNanos = request.settings().timeouts().tunnelIdle().toNanos();
        LOG.debug("{}: tunnel to {} on {}", client, lease.target().server(), upstream);
        ChannelPipeline p = client.pipeline();
        p.addLast("tunnel", new End(tunnel, true));
        p.remove(ClientConnection.class);
        OneMessagePerRead flow = p.get(OneMessagePerRead.class);
        flow.handOver();
        p.remove(flow);
        p.remove(ClientResponseEncoder.class);
        p.replace("idle", "idle", new IdleTimeout(idleNanos));
        request.context().pool().tunnel(upstream, new End(tunnel, false), idleNanos); // server bytes flow now
        p.remove(ClientRequestDecoder.class); // last: client bytes held since the request go up now
        if (!client.isActive() || !upstream.isActive()) {
            tunnel.close("closed while opening");
            return;
        }
        client.flush();
        upstream.flush();
        client.config().setAutoRead(true);
        upstream.config().setAutoRead(true);
    }

    /**
     * The client's {@code 101}: the real server's, hop-by-hop and framing headers removed, {@code edits} (response
     * rules, persistence) applied, then {@code Connection: Upgrade} and the server's {@code Upgrade}.
     *
     * @throws IllegalArgumentException when an edit gives a value HTTP cannot carry
     */
    static HttpResponse answer(HttpResponse head, List<HeaderEdit> edits) {
        HttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(), Unpooled.EMPTY_BUFFER,
                head.headers().copy(), EmptyHttpHeaders.INSTANCE);
        HttpHeaders h = out.headers();
        UpstreamRequests.removeHopByHop(h);
        h.remove(HttpHeaderNames.CONTENT_LENGTH).remove(HttpHeaderNames.TRANSFER_ENCODING);
        HeaderEdits.apply(h, edits);
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.UPGRADE, head.headers().get(HttpHeaderNames.UPGRADE).trim());
        return out;
    }

    /** Whether {@code client} is a tunnel now (the listener's drain leaves it to its grace). */
    static boolean isTunnel(Channel client) {
        return client.pipeline().get(End.class) != null;
    }

    private void onBytes(boolean fromClient, ByteBuf bytes) {
        if (closed) {
            bytes.release(); // after the close: forwarded nowhere
            return;
        }
        Channel to = fromClient ? upstream : client;
        if (fromClient) {
            bytesIn += bytes.readableBytes();
        } else {
            bytesOut += bytes.readableBytes();
        }
        to.write(bytes, to.voidPromise());
        if (!to.isWritable()) {
            (fromClient ? client : upstream).config().setAutoRead(false);
        }
    }

    private void onReadComplete(boolean fromClient) {
        if (!closed) {
            (fromClient ? upstream : client).flush();
        }
    }

    private void onWritable(boolean clientSide) {
        if (!closed) {
            (clientSide ? upstream : client).config().setAutoRead(true); // the side writing to this one reads on
        }
    }

    /** Ends the tunnel once: releases the lease, logs, closes both connections after what each was sent. */
    private void close(String why) {
        if (closed) {
            return;
        }
        closed = true;
        LOG.debug("{}: tunnel to {} ends ({}), {} bytes up, {} down", client, lease.target().server(), why, bytesIn,
                bytesOut);
        lease.release(new Outcome(101, Outcome.Failure.NONE, System.nanoTime() - request.startNanos(), bytesIn,
                bytesOut));
        AccessLog.forwarded(request, lease.target(), 101, Outcome.Failure.NONE, bytesIn, bytesOut);
        closeAfterFlush(client);
        closeAfterFlush(upstream);
    }

    /** Closes {@code ch} once what it was given is out, at once when it is not taking bytes (nothing to wait on). */
    private static void closeAfterFlush(Channel ch) {
        if (ch.isActive() && ch.isWritable()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }

    /** One side's events, handed to the tunnel. Not sharable: one per connection. */
    static final class End extends ChannelInboundHandlerAdapter {
        private final Tunnel tunnel;
        private final boolean clientSide;

        End(Tunnel tunnel, boolean clientSide) {
            this.tunnel = tunnel;
            this.clientSide = clientSide;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes) {
                tunnel.onBytes(clientSide, bytes);
            } else {
                ReferenceCountUtil.release(msg); // the empty last piece of the upgrade request or of the 101
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            tunnel.onReadComplete(clientSide);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                tunnel.onWritable(clientSide);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                tunnel.close("idle for " + tunnel.request.settings().timeouts().tunnelIdle());
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            tunnel.close(clientSide ? "client closed" : "real server closed");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            tunnel.close((clientSide ? "client: " : "real server: ") + cause);
        }
    }
}
