package dev.switchboard.netty.internal.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Answers a request that is refused before its body was read, then closes the connection without destroying the
 * answer: closing with unread bytes in the socket makes the kernel send a reset, and a client still sending its
 * body may then never see the answer. So when a body is pending, the answer is flushed, the output shut down
 * (plain connections; a TLS connection keeps its output until the close), and the body read and dropped until its
 * end, the client's close or {@link #MAX_LINGER}, whichever comes first; then the connection closes. This is
 * nginx's {@code lingering_close} (with a shorter {@code lingering_time}). Event loop only; one per refused request.
 *
 * <pre>{@code
 * closing = LingeringClose.answer(ctx, head, response);   // then, in channelRead: closing.drop(msg); ctx.read() done
 * }</pre>
 */
final class LingeringClose {

    /** The longest the body of a refused request is read before the connection closes anyway. */
    static final Duration MAX_LINGER = Duration.ofSeconds(5);

    private final ChannelHandlerContext ctx;
    private final ChannelFuture written;
    private final ScheduledFuture<?> deadline;

    private LingeringClose(ChannelHandlerContext ctx, ChannelFuture written) {
        this.ctx = ctx;
        this.written = written;
        this.deadline = ctx.executor().schedule(this::close, MAX_LINGER.toNanos(), TimeUnit.NANOSECONDS);
        ctx.channel().closeFuture().addListener(f -> deadline.cancel(false));
    }

    /**
     * Writes {@code response} (which says {@code Connection: close}) to the refused {@code request}'s connection
     * and closes it once it is written, at once when no body is pending, otherwise after lingering; messages that
     * arrive in between go to {@link #drop}.
     */
    static LingeringClose answer(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
        boolean bodyPending = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        ChannelFuture written = ctx.writeAndFlush(response);
        LingeringClose closing = new LingeringClose(ctx, written);
        if (!bodyPending) {
            closing.close();
            return closing;
        }
        written.addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            } else if (ctx.channel() instanceof DuplexChannel duplex && ctx.pipeline().get(SslHandler.class) == null) {
                duplex.shutdownOutput();
            }
        });
        ctx.read();
        return closing;
    }

    /** A message that came after the answer: released; the connection closes at the body's end or the deadline. */
    void drop(Object msg) {
        boolean end = msg instanceof LastHttpContent;
        ReferenceCountUtil.release(msg);
        if (end) {
            close();
        } else if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    private void close() {
        written.addListener(ChannelFutureListener.CLOSE); // after the answer is out, even when it is still queued
    }
}
