package dev.switchboard.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An h2c real server (Netty's HTTP/2 codec) that resets its first {@code refusals} streams with
 * RST_STREAM(REFUSED_STREAM), as a server does with a stream it did not process, and answers the others
 * {@code 200 "ok <path>"} once the request has ended. Counts the streams it saw.
 */
final class RefusingH2Backend implements AutoCloseable {

    final AtomicInteger streams = new AtomicInteger();
    private final AtomicInteger refusals;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    RefusingH2Backend(int refusals) throws InterruptedException {
        this.refusals = new AtomicInteger(refusals);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel stream) {
                                        stream.pipeline().addLast(new Stream());
                                    }
                                }));
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** The next {@code n} streams are refused. */
    void refuseNext(int n) {
        refusals.set(n);
    }

    String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** One request stream: refused, or answered when it ends. */
    private final class Stream extends ChannelInboundHandlerAdapter {
        private String path = "";

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                boolean end = false;
                if (msg instanceof Http2HeadersFrame h) {
                    streams.incrementAndGet();
                    path = String.valueOf(h.headers().path());
                    if (refusals.getAndDecrement() > 0) {
                        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
                        return;
                    }
                    end = h.isEndStream();
                } else if (msg instanceof Http2DataFrame d) {
                    end = d.isEndStream();
                }
                if (end) {
                    byte[] body = ("ok " + path).getBytes(StandardCharsets.UTF_8);
                    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                            .setInt("content-length", body.length)));
                    ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
