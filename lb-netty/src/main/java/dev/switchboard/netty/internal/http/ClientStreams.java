package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.settings.Http2Limits;
import dev.switchboard.netty.settings.ListenerSettings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/2 client connection's handler: Netty's connection handler (frame reading and writing, HPACK, flow
 * control with a uniform share of the window among streams that have data, stream states, the listener's
 * {@link Http2Limits}) with the streams handled at frame level: each request
 * stream is a {@link ClientStream} (a {@link ClientConnection} of its own, no channel or pipeline) that its frames
 * are handed to and that writes its response frames through here. PING and SETTINGS floods end the connection
 * ({@link Http2Guard}); a connection idle for {@code timeouts.clientIdle} with no stream open gets a GOAWAY and
 * closes, a stream idle that long is told so by {@link StreamIdle}. Not sharable: one per connection, on its loop.
 */
final class ClientStreams extends Http2ConnectionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClientStreams.class);

    private final Http2Connection.PropertyKey key;
    private final Http2Guard guard;
    private ProxyContext context;
    private InetAddress peer;
    private String tlsServerName;
    private String tlsSessionId;
    private StreamIdle idle;
    private StreamRequestLimit limit;
    private ChannelHandlerContext ctx;

    private ClientStreams(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings initial,
            Http2Limits limits) {
        super(decoder, encoder, initial);
        this.key = connection().newKey();
        this.guard = new Http2Guard(limits);
        decoder.frameListener(new Frames());
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                ClientStream s = stream.getProperty(key);
                if (s != null) {
                    idle.remove(s);
                    s.streamClosed();
                }
            }
        });
        encoder.flowController().listener(this::writabilityChanged);
    }

    /** The handler for a client connection of {@code ch} with the listener's limits. */
    static ClientStreams of(Channel ch, ProxyContext context, InetAddress peer, String tlsServerName,
            String tlsSessionId) {
        ListenerSettings settings = context.settings();
        Http2Limits limits = settings.http2Limits();
        ClientStreams h = new Builder(limits, settings.timeouts().shutdown().toMillis()).build();
        h.context = context;
        h.peer = peer;
        h.tlsServerName = tlsServerName;
        h.tlsSessionId = tlsSessionId;
        h.idle = new StreamIdle(ch, settings.timeouts().clientIdle().toNanos());
        h.limit = StreamRequestLimit.of(ch, context, peer);
        return h;
    }

    /**
     * Netty's flow controller tells a stream that it can write again through its listener; when the connection
     * itself turns writable, every stream that can write now is told once more (a stream that was not waiting does
     * nothing with it). On io_uring over TLS the listener alone missed the connection's turn back to writable, and a
     * response streamed while its request was still arriving stalled for good.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        super.channelWritabilityChanged(ctx);
        if (ctx.channel().isWritable()) {
            connection().forEachActiveStream(stream -> {
                writabilityChanged(stream);
                return true;
            });
        }
    }

    private void writabilityChanged(Http2Stream stream) {
        ClientStream s = stream.getProperty(key);
        if (s != null) {
            s.writabilityChanged();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    Channel channel() {
        return ctx.channel();
    }

    StreamRequestLimit limit() {
        return limit;
    }

    // ---- what streams do

    boolean isWritable(Http2Stream stream) {
        return encoder().flowController().isWritable(stream);
    }

    void writeHeaders(int id, Http2Headers headers, boolean endStream) {
        encoder().writeHeaders(ctx, id, headers, 0, endStream, ctx.voidPromise());
    }

    void writeData(int id, ByteBuf data, boolean endStream) {
        encoder().writeData(ctx, id, data, 0, endStream, ctx.voidPromise());
    }

    void flushNow() {
        flush(ctx);
    }

    /** RST_STREAM(CANCEL) for a stream that has not ended both ways. */
    void reset(Http2Stream stream) {
        resetStream(ctx, stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
        flush(ctx);
    }

    /** {@code bytes} of a stream's request body were taken: its window (and the connection's) is given back. */
    void consumed(Http2Stream stream, int bytes) {
        if (bytes <= 0) {
            return;
        }
        try {
            if (decoder().flowController().consumeBytes(stream, bytes)) {
                flush(ctx); // a WINDOW_UPDATE was written
            }
        } catch (Http2Exception e) {
            onError(ctx, false, e);
        }
    }

    // ---- connection events

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (connection().numActiveStreams() == 0) {
                LOG.debug("{}: idle with no stream open, GOAWAY", ctx.channel());
                ctx.close(); // GOAWAY first
            }
            ReferenceCountUtil.release(evt);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            super.exceptionCaught(ctx, cause); // answered by GOAWAY or RST_STREAM with its code
            return;
        }
        LOG.debug("{}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    private void controlFrame(ChannelHandlerContext ctx) {
        if (guard.tooMany()) {
            LOG.debug("{}: more than {} PING/SETTINGS frames within {} ms, GOAWAY", ctx.channel(),
                    guard.maxControlFrames(), guard.windowMillis());
            onError(ctx, false, Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM,
                    "too many PING or SETTINGS frames"));
        }
    }

    private void opened(Http2Stream stream, Object head) {
        ClientStream s = new ClientStream(this, stream, context, peer, tlsServerName, tlsSessionId);
        stream.setProperty(key, s);
        idle.add(s);
        ClientConnection conn = s.connection();
        if (conn.opened()) {
            s.arrived(head);
        } else {
            ReferenceCountUtil.release(head);
        }
    }

    /** The frames read, to the streams. */
    private final class Frames extends Http2FrameAdapter {

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                boolean endOfStream) throws Http2Exception {
            Http2Stream stream = connection().stream(streamId);
            ClientStream s = stream == null ? null : stream.getProperty(key);
            if (s == null) {
                if (stream != null) {
                    opened(stream, StreamRequests.request(streamId, headers, endOfStream));
                }
            } else {
                s.arrived(StreamRequests.trailers(streamId, headers, endOfStream));
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
                boolean endOfStream) {
            Http2Stream stream = connection().stream(streamId);
            ClientStream s = stream == null ? null : stream.getProperty(key);
            if (s == null) {
                return data.readableBytes() + padding;
            }
            s.arrived(StreamRequests.piece(data, endOfStream));
            return padding; // the data's bytes are given back as the request takes them
        }

        @Override
        public void onPingRead(ChannelHandlerContext ctx, long data) {
            controlFrame(ctx);
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
            controlFrame(ctx);
        }
    }

    /** Builds the handler with Netty's codec from the builder's settings. */
    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<ClientStreams, Builder> {

        private final Http2Limits limits;

        Builder(Http2Limits limits, long shutdownMillis) {
            this.limits = limits;
            initialSettings(new Http2Settings()
                    .maxConcurrentStreams(limits.maxConcurrentStreams())
                    .maxHeaderListSize(limits.maxHeaderListSize())
                    .maxFrameSize(limits.maxFrameSize())
                    .initialWindowSize(limits.initialWindowSize()));
            DefaultHttp2Connection connection = new DefaultHttp2Connection(true);
            connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection,
                    new UniformStreamByteDistributor(connection))); // no priority tree (RFC 9113 deprecates it)
            connection(connection);
            validateHeaders(true);
            decoderEnforceMaxRstFramesPerWindow(limits.maxResets(), (int) limits.resetWindow().getSeconds());
            encoderEnforceMaxQueuedControlFrames(limits.maxQueuedControlFrames());
            gracefulShutdownTimeoutMillis(shutdownMillis);
        }

        @Override
        protected ClientStreams build() {
            return super.build();
        }

        @Override
        protected ClientStreams build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                Http2Settings initialSettings) {
            return new ClientStreams(decoder, encoder, initialSettings, limits);
        }
    }
}
