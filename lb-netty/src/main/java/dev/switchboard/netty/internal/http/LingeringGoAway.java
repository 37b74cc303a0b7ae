package dev.switchboard.netty.internal.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a refused HTTP/2 connection without destroying its last frames. A client keeps writing after the refusal
 * was sent (the SETTINGS ACK, a WINDOW_UPDATE for the refusal's DATA); if those bytes reach a closed socket, the
 * kernel answers with a reset and the client may lose the response and GOAWAY it had not read yet. So the close
 * that the HTTP/2 codec asks for after its GOAWAY ends only the output (a FIN, or TLS {@code close_notify}); what the
 * client still sends is read and dropped until it closes too or {@link LingeringClose#MAX_LINGER} passes, and then
 * the connection closes and the close's promise completes. nginx's {@code lingering_close} for HTTP/2. Sits between
 * the transport (and TLS) and the HTTP/2 codec; one per connection, on its loop.
 */
final class LingeringGoAway extends ChannelDuplexHandler {

    private boolean closing;

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!closing && ctx.channel().isActive()) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls == null && !(ctx.channel() instanceof DuplexChannel)) {
                ctx.close(promise); // no half-close on this transport
                return;
            }
            closing = true;
            var deadline = ctx.executor().schedule(() -> ctx.close(),
                    LingeringClose.MAX_LINGER.toNanos(), TimeUnit.NANOSECONDS);
            ctx.channel().closeFuture().addListener(f -> deadline.cancel(false));
            if (tls != null) {
                ctx.flush();
                tls.closeOutbound();
            } else {
                // the FIN after the last frames are written, not while their write is in flight: on Netty 4.2.18's
                // io_uring transport a shutdown racing a write leaves the channel unable to close (netty#17237)
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                    if (ctx.channel().isActive()) {
                        ((DuplexChannel) ctx.channel()).shutdownOutput();
                    }
                });
            }
            ctx.channel().config().setAutoRead(true);
        }
        if (closing) {
            ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
        } else {
            ctx.close(promise);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg); // after the GOAWAY: read only to see the client's close
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
