package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.ClientAddress;
import dev.switchboard.netty.limit.Admission;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses between HTTP/1.1 and HTTP/2 for a connection of a listener that offers both, once per connection, then
 * leaves the pipeline (so an HTTP/1.1 connection pays nothing per request): over TLS by the ALPN protocol the
 * handshake agreed on ({@code h2}, else HTTP/1.1), in cleartext by whether the first bytes are the HTTP/2
 * connection preface (h2c with prior knowledge). Until then it holds the connection's activation and its bytes
 * (at most the preface's 24 bytes in cleartext; nothing over TLS, whose handshake comes first), and hands both to
 * the protocol's handlers; a connection that the connection limits refused gets its refusal in that protocol
 * ({@link RefusedConnection}, {@link RefusedHttp2}). Not sharable: one per connection, on its loop.
 */
final class ProtocolChoice extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolChoice.class);
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ProxyContext context;
    private final boolean tls;
    private final Admission admission;
    private final ArrayDeque<Object> held = new ArrayDeque<>(2);
    private SslHandshakeCompletionEvent handshake;
    private boolean chosen;

    /**
     * @param tls       whether ALPN decides (an https listener), else the preface does
     * @param admission the connection limits' verdict: a refused connection gets its refusal in the protocol chosen
     */
    ProtocolChoice(ProxyContext context, boolean tls, Admission admission) {
        this.context = context;
        this.tls = tls;
        this.admission = admission;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read(); // the handshake, or the first bytes; activation goes on once the protocol is known
        if (!tls) { // the handshake has its own timeout; the first bytes are due like a request head
            Duration due = admission.accepted() ? context.settings().timeouts().requestHead()
                    : RefusedConnection.waitFor(context.settings().timeouts().clientIdle());
            ctx.executor().schedule(() -> {
                if (!chosen && ctx.channel().isActive()) {
                    LOG.debug("{}: nothing sent within {}, closing", ctx.channel(), due);
                    if (admission.accepted()) {
                        context.clientTimeouts().countRequestHead();
                    } else { // as a refused HTTP/1.1 connection that sends nothing: one access-log line
                        context.limiter().logRefusal(admission, ClientAddress.findRemote(ctx.channel())
                                .map(InetSocketAddress::getAddress).orElse(null), "-");
                    }
                    ctx.close();
                }
            }, due.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (chosen) {
            ctx.fireChannelRead(msg);
            return;
        }
        held.add(msg);
        if (!tls) {
            int match = prefaceMatch();
            if (match < 0) {
                choose(ctx, false);
            } else if (match >= PREFACE.readableBytes()) {
                choose(ctx, true);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!chosen && ctx.channel().isActive()) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (tls && !chosen && evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                ctx.close();
                return;
            }
            handshake = done;
            String protocol = ctx.pipeline().get(SslHandler.class).engine().getApplicationProtocol(); // Java 9 ALPN
            choose(ctx, "h2".equals(protocol));
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** How many leading bytes held match the preface (all of them: the preface's length), or -1 on a mismatch. */
    private int prefaceMatch() {
        int i = 0;
        for (Object o : held) {
            ByteBuf b = (ByteBuf) o;
            for (int j = b.readerIndex(); j < b.writerIndex() && i < PREFACE.readableBytes(); j++, i++) {
                if (b.getByte(j) != PREFACE.getByte(i)) {
                    return -1;
                }
            }
        }
        return i;
    }

    private void choose(ChannelHandlerContext ctx, boolean http2) {
        chosen = true;
        LOG.debug("{}: {}", ctx.channel(), http2 ? "HTTP/2" : "HTTP/1.1");
        if (!admission.accepted()) {
            if (http2) {
                RefusedHttp2.addTo(ctx.channel(), context, admission);
            } else {
                RefusedConnection.addTo(ctx.channel(), context, admission);
            }
        } else if (http2) {
            ClientHttp2.addTo(ctx.channel(), context, handshake);
        } else {
            ClientInitializer.addHttp1(ctx.channel(), context, context.settings());
        }
        ctx.fireChannelActive();
        if (handshake != null) {
            ctx.fireUserEventTriggered(handshake);
        }
        Object msg;
        while ((msg = held.poll()) != null) {
            ctx.fireChannelRead(msg);
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (chosen) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOG.debug("{}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
