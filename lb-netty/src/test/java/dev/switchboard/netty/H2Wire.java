package dev.switchboard.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An HTTP/2 client made of Netty's frame writer and reader on a plain connection, so a test can send what a
 * well-behaved client never would (floods, resets, raw CONTINUATION frames) and see every frame that comes back.
 * With {@code autoWindow} it gives every DATA frame's bytes back at once; without it, it never does (a client that
 * never reads).
 */
final class H2Wire implements AutoCloseable {

    /** A frame from the gateway. */
    sealed interface Frame permits Headers, Data, Reset, GoAway {
    }

    record Headers(int stream, Http2Headers headers, boolean end) implements Frame {
    }

    record Data(int stream, byte[] bytes, boolean end) implements Frame {
    }

    record Reset(int stream, long code) implements Frame {
    }

    record GoAway(int lastStream, long code) implements Frame {
    }

    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    /** Frames taken from {@link #frames} that a wait did not want (test thread only). */
    private final List<Frame> kept = new java.util.ArrayList<>();
    final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final boolean autoWindow;
    private final Channel channel;
    private volatile ChannelHandlerContext ctx;

    private H2Wire(int port, Http2Settings settings, boolean autoWindow) {
        this.autoWindow = autoWindow;
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new Reader());
            }
        }).connect("127.0.0.1", port).syncUninterruptibly().channel();
        run(c -> {
            c.write(Http2CodecUtil.connectionPrefaceBuf());
            writer.writeSettings(c, settings, c.newPromise());
        });
    }

    static H2Wire connect(int port) {
        return new H2Wire(port, new Http2Settings(), true);
    }

    static H2Wire connect(int port, Http2Settings settings, boolean autoWindow) {
        return new H2Wire(port, settings, autoWindow);
    }

    static Http2Headers get(String path) {
        return new DefaultHttp2Headers().method("GET").scheme("http").authority("gw.test").path(path);
    }

    static Http2Headers post(String path) {
        return new DefaultHttp2Headers().method("POST").scheme("http").authority("gw.test").path(path);
    }

    /** Runs {@code action} on the connection's loop with the writing context, then flushes. */
    void run(Consumer<ChannelHandlerContext> action) {
        channel.eventLoop().submit(() -> {
            while (ctx == null) {
                Thread.onSpinWait();
            }
            action.accept(ctx);
            ctx.flush();
        }).syncUninterruptibly();
    }

    void headers(int stream, Http2Headers headers, boolean end) {
        run(c -> writer.writeHeaders(c, stream, headers, 0, end, c.newPromise()));
    }

    void data(int stream, byte[] bytes, boolean end) {
        run(c -> writer.writeData(c, stream, Unpooled.wrappedBuffer(bytes), 0, end, c.newPromise()));
    }

    /** A raw frame: the 9-byte header and {@code payload}. */
    static ByteBuf frame(byte type, int flags, int stream, byte[] payload) {
        ByteBuf b = Unpooled.buffer(9 + payload.length);
        b.writeMedium(payload.length).writeByte(type).writeByte(flags).writeInt(stream).writeBytes(payload);
        return b;
    }

    /** The next frame that satisfies {@code match}, waiting up to {@code seconds}; others are kept for later. */
    <T extends Frame> T await(Class<T> type, Predicate<T> match, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Frame f = next(x -> type.isInstance(x) && match.test(type.cast(x)));
            if (f != null) {
                return type.cast(f);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " as expected within " + seconds + " s");
    }

    /** The first kept frame that {@code match}es, else the next one to arrive within 50 ms if it does (else kept). */
    private Frame next(Predicate<Frame> match) throws InterruptedException {
        for (java.util.Iterator<Frame> it = kept.iterator(); it.hasNext();) {
            Frame f = it.next();
            if (match.test(f)) {
                it.remove();
                return f;
            }
        }
        Frame f = frames.poll(50, TimeUnit.MILLISECONDS);
        if (f == null || match.test(f)) {
            return f;
        }
        kept.add(f);
        return null;
    }

    /** The body of {@code stream} up to its end, with its trailers (if any) as the last headers. */
    Response response(int stream, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Response r = new Response();
        while (System.nanoTime() < deadline) {
            Frame f = next(x -> x instanceof Headers h && h.stream() == stream || x instanceof Data d
                    && d.stream() == stream || x instanceof Reset z && z.stream() == stream);
            if (f instanceof Headers h) {
                r.heads.add(h.headers());
                if (h.end()) {
                    return r;
                }
            } else if (f instanceof Data d) {
                r.body.writeBytes(d.bytes());
                if (d.end()) {
                    return r;
                }
            } else if (f instanceof Reset x) {
                throw new AssertionError("stream " + stream + " reset: " + x.code());
            }
        }
        throw new AssertionError("stream " + stream + " did not end within " + seconds + " s");
    }

    /** A response as it came: every HEADERS block (interim, final, trailers) and the body. */
    static final class Response {
        final List<Http2Headers> heads = new java.util.ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        String status() {
            for (Http2Headers h : heads) {
                if (h.status() != null && h.status().charAt(0) != '1') {
                    return h.status().toString();
                }
            }
            return "none";
        }
    }

    boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Reader extends ByteToMessageDecoder {
        private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(true);

        @Override
        public void handlerAdded(ChannelHandlerContext c) {
            ctx = c;
        }

        @Override
        protected void decode(ChannelHandlerContext c, ByteBuf in, List<Object> out) throws Exception {
            reader.readFrame(c, in, new Http2FrameAdapter() {
                @Override
                public int onDataRead(ChannelHandlerContext c2, int stream, ByteBuf data, int padding,
                        boolean end) {
                    byte[] bytes = new byte[data.readableBytes()];
                    data.readBytes(bytes);
                    frames.add(new Data(stream, bytes, end));
                    int n = bytes.length + padding;
                    if (autoWindow && n > 0) {
                        writer.writeWindowUpdate(c2, 0, n, c2.newPromise());
                        if (!end) {
                            writer.writeWindowUpdate(c2, stream, n, c2.newPromise());
                        }
                        c2.flush();
                    }
                    return n;
                }

                @Override
                public void onHeadersRead(ChannelHandlerContext c2, int stream, Http2Headers headers, int padding,
                        boolean end) {
                    frames.add(new Headers(stream, headers, end));
                }

                @Override
                public void onHeadersRead(ChannelHandlerContext c2, int stream, Http2Headers headers, int dep,
                        short weight, boolean exclusive, int padding, boolean end) {
                    frames.add(new Headers(stream, headers, end));
                }

                @Override
                public void onRstStreamRead(ChannelHandlerContext c2, int stream, long code) {
                    frames.add(new Reset(stream, code));
                }

                @Override
                public void onGoAwayRead(ChannelHandlerContext c2, int last, long code, ByteBuf debug) {
                    frames.add(new GoAway(last, code));
                }

                @Override
                public void onSettingsRead(ChannelHandlerContext c2, Http2Settings settings) {
                    writer.writeSettingsAck(c2, c2.newPromise());
                    c2.flush();
                }
            });
        }
    }
}
