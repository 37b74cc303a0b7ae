package dev.switchboard.netty.internal.proxyprotocol;

import dev.switchboard.api.TrustedProxies;
import dev.switchboard.netty.ClientAddress;
import dev.switchboard.netty.limit.ProxyProtocolCounters;
import dev.switchboard.netty.limit.ProxyProtocolCounters.Reason;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the PROXY protocol header (v1 or v2, parsed by Netty's {@link HAProxyMessageDecoder}) that must open every
 * connection of a virtual service with {@code acceptProxyProtocol}, before anything else runs on it (TLS, SNI or
 * Host selection, the HTTP decoder, the layer-4 sniffer). {@link #addFirst} puts the decoder and this handler at
 * the very front of the pipeline; the rest of the pipeline does not see the connection as active until the header
 * is in: then the carried client address is recorded for {@link ClientAddress#findRemote}, {@code channelActive}
 * goes on, both handlers leave the pipeline, and any bytes after the header go on to the next handler.
 *
 * <p>Closed and counted ({@link ProxyProtocolCounters}), with nothing written back: a peer that is not a trusted
 * proxy (at once, before any byte is read), a malformed header, a connection that ends before its header, and no
 * whole header within {@code timeout}. A {@code LOCAL} command (a proxy's own health check) or an address family the
 * header cannot carry ({@code UNKNOWN}, {@code AF_UNIX}) keeps the peer's address. v2 TLVs are parsed by the decoder
 * and ignored: nothing but the source address and port is believed.
 *
 * <p>One per connection; event loop only.
 */
public final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {

    /** The pipeline names of the decoder and of this handler. */
    public static final String DECODER = "proxy-protocol-decoder";
    public static final String NAME = "proxy-protocol";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyHeaderReader.class);

    private final TrustedProxies trusted;
    private final long timeoutNanos;
    private final ProxyProtocolCounters counters;
    private ScheduledFuture<?> timer;
    private boolean done;

    private ProxyHeaderReader(TrustedProxies trusted, Duration timeout, ProxyProtocolCounters counters) {
        this.trusted = trusted;
        this.timeoutNanos = timeout.toNanos();
        this.counters = counters;
    }

    /**
     * Puts the PROXY protocol decoder and reader first in {@code channel}'s pipeline (call it from the channel's
     * initializer, before the other handlers are added or after: they go behind it either way).
     */
    public static void addFirst(Channel channel, TrustedProxies trusted, Duration timeout,
            ProxyProtocolCounters counters) {
        channel.pipeline().addFirst(NAME, new ProxyHeaderReader(trusted, timeout, counters));
        channel.pipeline().addFirst(DECODER, new HAProxyMessageDecoder());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (peer == null || !trusted.contains(peer)) {
            LOG.debug("{}: PROXY protocol from a peer that is not a trusted proxy; closing", ctx.channel());
            reject(ctx, Reason.UNTRUSTED);
            return;
        }
        timer = ctx.executor().schedule(() -> reject(ctx, Reason.TIMEOUT), timeoutNanos, TimeUnit.NANOSECONDS);
        ctx.read(); // child channels run with auto-read off: ask for the header
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof HAProxyMessage header)) {
            ReferenceCountUtil.release(msg);
            reject(ctx, Reason.MALFORMED);
            return;
        }
        try {
            accept(ctx, header);
        } finally {
            header.release();
        }
    }

    private void accept(ChannelHandlerContext ctx, HAProxyMessage header) {
        InetSocketAddress client = carried(header);
        if (client == null) {
            LOG.debug("{}: PROXY {} {}; the peer stays the client", ctx.channel(), header.command(),
                    header.proxiedProtocol());
        } else {
            ClientAddress.carried(ctx.channel(), client);
        }
        done = true;
        timer.cancel(false);
        ctx.fireChannelActive();
        ctx.pipeline().remove(this); // the decoder removes itself next and hands on the bytes after the header
    }

    /** The source of a {@code PROXY} command over TCP or UDP, v4 or v6; null where the peer is the client. */
    private static InetSocketAddress carried(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY) {
            return null;
        }
        HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
        if (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6) {
            return null;
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return address == null ? null : new InetSocketAddress(address, header.sourcePort());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!done && ctx.channel().isActive()) {
            ctx.read(); // part of a header so far
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOG.debug("{}: malformed PROXY protocol header: {}", ctx.channel(), cause.toString());
        reject(ctx, Reason.MALFORMED);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reject(ctx, Reason.CLOSED);
        ctx.fireChannelInactive();
    }

    private void reject(ChannelHandlerContext ctx, Reason reason) {
        if (done) {
            return;
        }
        done = true;
        if (timer != null) {
            timer.cancel(false);
        }
        counters.count(reason);
        LOG.debug("{}: closed before a PROXY protocol header ({})", ctx.channel(), reason.statsName());
        ctx.close();
    }
}
