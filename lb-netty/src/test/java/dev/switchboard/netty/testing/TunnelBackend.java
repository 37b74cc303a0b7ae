package dev.switchboard.netty.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real server on 127.0.0.1 (Netty) that speaks three ways: a WebSocket endpoint on any path (Netty's handshaker;
 * text and binary frames echoed, {@code "close"} makes it send a close frame and close, pings answered), the
 * {@code echo} protocol ({@code Upgrade: echo}: 101, then every byte echoed), and plain HTTP (200 with
 * {@code name method uri} as the body). Records every request head it gets and counts open connections.
 */
public final class TunnelBackend implements AutoCloseable {

    public final String name;
    /** Every request head: {@code "METHOD uri"}, then a {@code "name: value"} line per header (names lower-cased). */
    public final List<String> heads = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel server;

    public TunnelBackend(String name) {
        this.name = name;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        open.add(ch);
                        ch.pipeline().addLast("http", new HttpServerCodec())
                                .addLast("aggregate", new HttpObjectAggregator(65_536))
                                .addLast("app", new Http());
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    public String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Connections open on this server now (closed ones leave at once). */
    public int openConnections() {
        return open.size();
    }

    /** The last request head recorded. */
    public String lastHead() {
        return heads.isEmpty() ? "" : heads.get(heads.size() - 1);
    }

    @Override
    public void close() {
        open.close().syncUninterruptibly();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Http extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            StringBuilder head = new StringBuilder(req.method() + " " + req.uri());
            for (Map.Entry<String, String> h : req.headers()) {
                head.append('\n').append(h.getKey().toLowerCase(java.util.Locale.ROOT)).append(": ")
                        .append(h.getValue());
            }
            heads.add(head.toString());
            String upgrade = req.headers().get(HttpHeaderNames.UPGRADE, "");
            if (upgrade.equalsIgnoreCase("websocket")) {
                WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory("ws://" + req.headers()
                        .get(HttpHeaderNames.HOST) + req.uri(), null, true, 1 << 24).newHandshaker(req);
                hs.handshake(ctx.channel(), req);
                ctx.pipeline().replace(this, "ws", new Frames(hs));
            } else if (upgrade.equalsIgnoreCase("echo")) {
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.SWITCHING_PROTOCOLS);
                res.headers().set(HttpHeaderNames.UPGRADE, "echo").set(HttpHeaderNames.CONNECTION, "Upgrade");
                ctx.writeAndFlush(res);
                ctx.pipeline().replace(this, "echo", new Echo());
                ctx.pipeline().remove("aggregate");
                ctx.pipeline().remove("http");
            } else {
                ByteBuf body = Unpooled.copiedBuffer(name + " " + req.method() + " " + req.uri(),
                        StandardCharsets.UTF_8);
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
                HttpUtil.setContentLength(res, body.readableBytes());
                ctx.writeAndFlush(res);
            }
        }
    }

    private static final class Echo extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf bytes) {
            ctx.writeAndFlush(bytes.retain());
        }
    }

    private static final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final WebSocketServerHandshaker handshaker;

        Frames(WebSocketServerHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                handshaker.close(ctx.channel(), close.retain());
            } else if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (frame instanceof TextWebSocketFrame text && text.text().equals("close")) {
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(ChannelFutureListener.CLOSE);
            } else if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                ctx.writeAndFlush(frame.retain());
            }
        }
    }
}
