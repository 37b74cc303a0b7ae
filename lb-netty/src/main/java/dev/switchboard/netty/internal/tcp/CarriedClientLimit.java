package dev.switchboard.netty.internal.tcp;

import dev.switchboard.netty.ClientAddress;
import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionLimiter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;

/**
 * The per-client connection limit of a tcp virtual service with {@code acceptProxyProtocol}: sits right behind the
 * PROXY protocol reader and, when the header is in (the connection goes active), counts the connection against the
 * client the header carried ({@link ConnectionLimiter#admitCarried}), since at accept the peer was the trusted proxy.
 * A client already at {@code limits.maxConnectionsPerClient} is closed there, before any byte reaches a real server,
 * and logged as a refusal; otherwise the handler leaves the pipeline. One per connection; event loop only.
 *
 * <pre>{@code
 * ch.pipeline().addLast("carried-limit", new CarriedClientLimit(limiter));
 * }</pre>
 */
public final class CarriedClientLimit extends ChannelInboundHandlerAdapter {

    private final ConnectionLimiter limiter;

    public CarriedClientLimit(ConnectionLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ClientAddress.isCarried(ctx.channel())) {
            InetAddress client = ClientAddress.findRemote(ctx.channel()).orElseThrow().getAddress();
            Admission admission = limiter.admitCarried(ctx.channel(), client);
            if (!admission.accepted()) {
                limiter.logRefusal(admission, client, "-");
                ctx.close();
                return;
            }
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }
}
