package dev.switchboard.netty.internal.vhost;

import dev.switchboard.tls.HelloResult;
import dev.switchboard.tls.TlsHellos;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage of a connection to an https address shared by several virtual services: reads the ClientHello
 * (without consuming it), chooses the virtual service by its SNI through a {@link HostTable}, puts that virtual
 * service's own connection handler (its TLS context, so its certificate, then its HTTP handlers) after itself, and
 * leaves, handing over the hello bytes. A hello that names no virtual service of the address (and there is no
 * default) gets a fatal {@code unrecognized_name} alert and a close; bytes that are not a TLS hello, a malformed
 * hello, or no hello within the wait are closed. Runs after whatever first handler the listener installs (a PROXY
 * protocol decoder, say). One instance per connection; event loop only.
 */
public final class SniSelection extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(SniSelection.class);

    /** TLS alert record: fatal (2), unrecognized_name (112). */
    private static final byte[] UNRECOGNIZED_NAME = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70};
    private static final int MAX_BYTES = TlsHellos.MAX_HELLO_LENGTH + 64 * 5;

    private final Function<String, ChannelHandler> chooser;
    private final long waitMillis;
    private ScheduledFuture<?> timeout;

    /**
     * @param chooser the handler that sets up the chosen virtual service's connection (a {@code ChannelInitializer}),
     *        for a server name ({@code ""} when the hello has none); null when no virtual service answers for it
     * @param waitMillis how long the hello may take to arrive
     */
    public SniSelection(Function<String, ChannelHandler> chooser, long waitMillis) {
        this.chooser = chooser;
        this.waitMillis = waitMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // not passed on: the chosen virtual service's handlers get it once they are in place
        timeout = ctx.executor().schedule(() -> {
            LOG.debug("{}: no TLS ClientHello within {} ms, closing", ctx.channel(), waitMillis);
            ctx.close();
        }, waitMillis, TimeUnit.MILLISECONDS);
        ctx.read();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        HelloResult hello = parse(in);
        if (hello instanceof HelloResult.NeedMoreBytes) {
            if (in.readableBytes() > MAX_BYTES) {
                refuse(ctx, in, "a ClientHello longer than " + MAX_BYTES + " bytes");
            }
            return; // the decoder asks for the next read (auto-read is off) while nothing was decoded
        }
        if (!(hello instanceof HelloResult.ClientHello clientHello)) {
            refuse(ctx, in, hello.toString());
            return;
        }
        ChannelHandler chosen = chooser.apply(clientHello.serverName());
        if (chosen == null) {
            LOG.debug("{}: no virtual service for server name '{}', closing", ctx.channel(), clientHello.serverName());
            in.skipBytes(in.readableBytes());
            cancelTimeout();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(UNRECOGNIZED_NAME)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        cancelTimeout();
        ctx.pipeline().addAfter(ctx.name(), null, chosen); // an initializer: it sets up the chosen handlers now
        ctx.fireChannelActive();
        ctx.pipeline().remove(this); // the hello bytes, not consumed, go on to the chosen TLS handler
    }

    private static HelloResult parse(ByteBuf in) {
        if (in.hasArray()) {
            return TlsHellos.parseClientHello(in.array(), in.arrayOffset() + in.readerIndex(), in.readableBytes());
        }
        byte[] copy = new byte[in.readableBytes()];
        in.getBytes(in.readerIndex(), copy);
        return TlsHellos.parseClientHello(copy, 0, copy.length);
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, String why) {
        LOG.debug("{}: {}, closing", ctx.channel(), why);
        in.skipBytes(in.readableBytes());
        cancelTimeout();
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
