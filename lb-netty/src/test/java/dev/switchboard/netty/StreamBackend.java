package dev.switchboard.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * An HTTP/1.1 real server on 127.0.0.1 (Netty) for the HTTP/2 tests, that streams: {@code POST /echo} answers
 * chunked with the request body as it comes, then trailers {@code x-crc32} and {@code x-request-trailer} (the
 * client's {@code x-checksum} trailer when it sent one); {@code GET /big?n=BYTES} sends BYTES as the connection
 * takes them, counting what it wrote ({@link #written}); anything else answers {@code "<name> <uri>"} with
 * {@code X-Backend: <name>}. {@code Expect: 100-continue} is answered 100 first. Every request head is recorded.
 */
final class StreamBackend implements AutoCloseable {

    /** One request head as it arrived: {@code "METHOD uri"}, and its header lines (names lower-cased). */
    record Head(String line, Map<String, String> headers) {
    }

    final String name;
    final BlockingQueue<Head> heads = new LinkedBlockingQueue<>();
    final AtomicLong written = new AtomicLong();
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;

    StreamBackend(String name) {
        this.name = name;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(),
                                new Handler());
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    Head take() throws InterruptedException {
        Head h = heads.poll(5, TimeUnit.SECONDS);
        if (h == null) {
            throw new AssertionError(name + ": no request within 5 s");
        }
        return h;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private boolean echo;
        private boolean big;
        private final CRC32 crc = new CRC32();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest req) {
                Map<String, String> headers = new java.util.TreeMap<>();
                req.headers().forEach(e -> headers.merge(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue(),
                        (a, b) -> a + "," + b));
                heads.add(new Head(req.method() + " " + req.uri(), headers));
                echo = req.uri().startsWith("/echo");
                big = req.uri().startsWith("/big");
                crc.reset();
                if (echo) {
                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setTransferEncodingChunked(head, true);
                    ctx.writeAndFlush(head);
                } else if (big) {
                    long n = Long.parseLong(req.uri().substring(req.uri().indexOf("n=") + 2));
                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setContentLength(head, n);
                    ctx.writeAndFlush(head);
                    sendBig(ctx, n);
                }
            }
            if (msg instanceof HttpContent content && echo) {
                ByteBuf data = content.content();
                byte[] bytes = new byte[data.readableBytes()];
                data.getBytes(data.readerIndex(), bytes);
                crc.update(bytes);
                if (bytes.length > 0) {
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
                }
                if (content instanceof LastHttpContent last) {
                    LastHttpContent end = new DefaultLastHttpContent();
                    end.trailingHeaders().set("x-crc32", Long.toHexString(crc.getValue()));
                    String t = last.trailingHeaders().get("x-checksum");
                    end.trailingHeaders().set("x-request-trailer", t == null ? "none" : t);
                    ctx.writeAndFlush(end);
                }
            } else if (msg instanceof LastHttpContent && !echo && !big) {
                answer(ctx);
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            Head h = lastHead();
            String target = h.line().substring(h.line().indexOf(' ') + 1);
            byte[] body = (name + " " + target).getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            r.headers().set("X-Backend", name).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(r);
        }

        private Head lastHead() {
            Head last = null;
            for (Head h : heads) {
                last = h;
            }
            return last;
        }

        private void sendBig(ChannelHandlerContext ctx, long n) {
            ByteBuf block = Unpooled.wrappedBuffer(new byte[16 << 10]);
            long[] left = {n};
            Runnable[] more = new Runnable[1];
            more[0] = () -> {
                while (left[0] > 0 && ctx.channel().isWritable()) {
                    int size = (int) Math.min(block.capacity(), left[0]);
                    left[0] -= size;
                    written.addAndGet(size);
                    ctx.write(new DefaultHttpContent(block.retainedSlice(0, size)));
                }
                if (left[0] == 0) {
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    left[0] = -1;
                } else if (left[0] > 0) {
                    ctx.flush();
                    ctx.channel().eventLoop().schedule(more[0], 5, TimeUnit.MILLISECONDS);
                }
            };
            more[0].run();
        }
    }
}
