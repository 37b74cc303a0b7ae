package dev.switchboard.netty.internal.http;

import dev.switchboard.api.TrustedProxies;
import dev.switchboard.netty.ClientAddress;
import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionLimiter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * On a connection from a trusted proxy, counts each request against the client address its forwarded headers give
 * ({@link TrustedProxies#clientAddress}; the proxy's own address when they cannot say), from its head until the
 * last piece of its response is written (or the connection closes; a {@code 101} tunnel counts until then). A
 * request of a client already at {@code limits.maxConnectionsPerClient} is answered 429 with
 * {@code Connection: close} and {@code Retry-After}, then the connection is closed ({@link LingeringClose} when a
 * body is pending); the request never reaches the engine.
 *
 * <p>Behind a PROXY protocol header the connection carries one client: when the header is in (the connection goes
 * active), the whole connection is counted as that client's ({@link ConnectionLimiter#admitCarried}) and its
 * requests are not counted again; when the client was already at its limit, its first request is answered 429 as
 * above. A carried client that is itself a trusted proxy has its requests counted by forwarded headers instead.
 * Sits between the one-message-per-read flow handler and the connection's handler (HTTP/2 streams:
 * {@link StreamRequestLimit}). Event loop only.
 */
final class ClientRequestLimit extends ChannelDuplexHandler {

    private final ConnectionLimiter limiter;
    private final TrustedProxies proxies;
    private final String scheme;
    private InetAddress peer; // the carried client once a PROXY protocol header is in
    private final ClientConnection connection;
    private boolean carried; // a PROXY header's client: the connection holds the slot, requests are not counted
    private boolean refusedCarried; // that client was at its limit: the first request is refused
    private InetAddress held;
    private LingeringClose closing;

    ClientRequestLimit(ConnectionLimiter limiter, TrustedProxies proxies, String scheme, InetAddress peer,
            ClientConnection connection) {
        this.limiter = limiter;
        this.proxies = proxies;
        this.scheme = scheme;
        this.peer = peer;
        this.connection = connection;
    }

    /** Adds the handler before the connection's own when {@code channel}'s peer is a trusted proxy to count behind. */
    static void addIfCounted(Channel channel, ProxyContext context) {
        if (channel.remoteAddress() instanceof InetSocketAddress remote
                && context.limiter().countsRequests(remote.getAddress())) {
            ClientConnection connection = (ClientConnection) channel.pipeline().get("proxy");
            channel.pipeline().addBefore("proxy", "limit", new ClientRequestLimit(context.limiter(),
                    context.limiter().trustedProxies(), context.scheme(), remote.getAddress(), connection));
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) { // on a listener that offers h2: once the choice is made
        if (!carried && ClientAddress.isCarried(ctx.channel())) { // behind a PROXY header, its client is the peer
            peer = ClientAddress.findRemote(ctx.channel()).orElseThrow().getAddress();
            if (!proxies.contains(peer)) {
                carried = true;
                refusedCarried = !limiter.admitCarried(ctx.channel(), peer).accepted();
            }
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing != null) {
            closing.drop(msg);
            return;
        }
        if (msg instanceof HttpRequest head && carried) {
            if (refusedCarried) {
                refuse(ctx, head, peer);
                return;
            }
        } else if (msg instanceof HttpRequest head) {
            release(); // a response that ended without a last piece
            InetAddress client = proxies.clientAddress(new NettyRequestView(head, scheme, peer, "", ""));
            InetAddress counted = client == null ? peer : client;
            if (!limiter.tryAcquireRequest(counted)) {
                refuse(ctx, head, counted);
                return;
            }
            held = counted;
            connection.resolvedClient(client); // the access log reuses it instead of walking the headers again
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest head, InetAddress client) {
        limiter.logRefusal(Admission.REFUSED_CLIENT, client, head.method() + " " + head.uri());
        boolean isHead = head.method().equals(HttpMethod.HEAD);
        ReferenceCountUtil.release(head);
        ClientResponseEncoder encoder = ctx.pipeline().get(ClientResponseEncoder.class);
        if (encoder != null) {
            encoder.answeringHead(isHead);
        }
        closing = LingeringClose.answer(ctx, head,
                RefusedConnection.refusal(Admission.REFUSED_CLIENT.status(), isHead));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (held != null && msg instanceof LastHttpContent && !informational(msg)) {
            release();
        }
        ctx.write(msg, promise);
    }

    private static boolean informational(Object msg) {
        return msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (held != null) {
            InetAddress client = held;
            held = null;
            limiter.releaseRequest(client);
        }
    }
}
