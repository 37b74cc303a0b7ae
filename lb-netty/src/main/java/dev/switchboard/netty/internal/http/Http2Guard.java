package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.settings.Http2Limits;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an HTTP/2 client connection watches besides Netty's own limits: PING and SETTINGS frames beyond
 * {@link Http2Limits#maxControlFrames()} per {@link Http2Limits#controlFrameWindow()} (a flood that costs an answer
 * each) end the connection with GOAWAY(ENHANCE_YOUR_CALM); a connection idle for {@code timeouts.clientIdle} with no
 * stream open gets a GOAWAY and closes. Connection-level frames end here. Not sharable: one per connection, on its
 * loop.
 */
final class Http2Guard extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Http2Guard.class);

    private final Http2FrameCodec codec;
    private final int maxControlFrames;
    private final long windowNanos;
    private long windowStart = System.nanoTime();
    private int controlFrames;
    private boolean gone;

    Http2Guard(Http2FrameCodec codec, Http2Limits limits) {
        this.codec = codec;
        this.maxControlFrames = limits.maxControlFrames();
        this.windowNanos = limits.controlFrameWindow().toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean control = msg instanceof Http2PingFrame ping && !ping.ack()
                || msg instanceof Http2SettingsFrame;
        ReferenceCountUtil.release(msg);
        if (control && !gone && tooMany()) {
            gone = true;
            LOG.debug("{}: more than {} PING/SETTINGS frames within {} ms, GOAWAY", ctx.channel(), maxControlFrames,
                    windowNanos / 1_000_000);
            goAway(ctx, "too many PING or SETTINGS frames");
        }
    }

    private boolean tooMany() {
        long now = System.nanoTime();
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            controlFrames = 0;
        }
        return ++controlFrames > maxControlFrames;
    }

    /** A connection error: GOAWAY with ENHANCE_YOUR_CALM, then the connection closes. */
    private void goAway(ChannelHandlerContext ctx, String why) {
        ChannelHandlerContext codecContext = ctx.pipeline().context(codec);
        if (codecContext != null) {
            codec.onError(codecContext, false,
                    Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM, why));
        } else {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && codec.connection().numActiveStreams() == 0) {
            LOG.debug("{}: idle with no stream open, GOAWAY", ctx.channel());
            ctx.close(); // the codec sends GOAWAY first
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}", ctx.channel(), cause.toString());
        if (!(cause instanceof Http2Exception)) { // the codec answers its own errors (GOAWAY with their code)
            ctx.close();
        }
    }
}
