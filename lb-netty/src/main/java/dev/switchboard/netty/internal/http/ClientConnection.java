package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.ClientAddress;
import dev.switchboard.tls.TlsSessions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, or one HTTP/2 stream ({@link ClientStream}: the same object, one request, outside any
 * pipeline): reads one request at a time (auto-read is off and the flow-control handler hands over one decoded
 * message per read; a stream hands over one queued message per {@link #read()}), so pipelined requests wait in
 * order and their responses go out in order. It reads and writes through its {@link ClientSide}. Event loop only.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    private final ProxyContext context;
    private final ClientFraming framing;
    private final RequestPhase idle = new Idle();
    private ClientSide side;
    private RequestPhase phase = idle;
    private InetAddress peer = InetAddress.getLoopbackAddress();
    private String peerText = peer.getHostAddress();
    private String tlsServerName = "";
    private String tlsSessionId = "";
    private boolean headUnflushed;
    private String forwardedHost;
    private UpstreamRequests.Forwarded forwarded;
    private boolean clientResolved;
    private InetAddress resolvedClient;

    ClientConnection(ProxyContext context, ClientFraming framing) {
        this.context = context;
        this.framing = framing;
    }

    /** One HTTP/2 stream's: {@code stream} is its framing and its side; no channel handler events come. */
    ClientConnection(ProxyContext context, ClientStream stream) {
        this.context = context;
        this.framing = stream;
        this.side = stream;
    }

    /**
     * An HTTP/2 stream's client facts, known once for its connection: the peer (carried by a PROXY protocol header
     * when there was one) and the TLS server name and session. Before the stream channel is active.
     */
    void inherit(InetAddress peer, String tlsServerName, String tlsSessionId) {
        this.peer = peer;
        this.peerText = peer.getHostAddress();
        this.tlsServerName = tlsServerName;
        this.tlsSessionId = tlsSessionId;
    }

    /** Whether this carries one HTTP/2 stream. */
    boolean isStream() {
        return framing.isStream();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.side = new ContextSide(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (opened()) {
            ctx.fireChannelActive();
        }
    }

    /** The connection or stream is open: reads its first request; false when the listener is closing. */
    boolean opened() {
        if (context.closing()) { // accepted just before the listener closed, registered after it drained
            side.close();
            return false;
        }
        Optional<InetSocketAddress> remote = framing.isStream() ? Optional.empty() // inherited from the connection
                : ClientAddress.findRemote(side.channel()); // PROXY protocol: carried
        if (remote.isPresent()) {
            peer = remote.get().getAddress();
            peerText = peer.getHostAddress(); // once per connection, not per forwarded request
        }
        side.read();
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received(msg);
    }

    /** A request head or a piece of its body, as asked for by {@link #read()}. */
    void received(Object msg) {
        if (msg instanceof HttpRequest head) {
            if (phase != idle) { // cannot happen: nothing is read while a request is in progress
                ReferenceCountUtil.release(msg);
                side.close();
                return;
            }
            ProxyContext chosen = context.route(head);
            ProxyRequest request = new ProxyRequest(this, chosen != null ? chosen : context, head);
            if (chosen == null) {
                phase = request;
                request.misdirected();
                return;
            }
            if (clientResolved) {
                request.resolvedClient(resolvedClient);
                clientResolved = false;
                resolvedClient = null;
            }
            phase = request;
            request.start();
        } else if (msg instanceof HttpContent content) {
            phase.onContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            phase.onClientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The client (an HTTP/2 stream's window) can take writes again. */
    void writable() {
        phase.onClientWritable();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed();
    }

    /** The connection or stream closed. */
    void closed() {
        RequestPhase was = phase;
        phase = idle;
        was.onClientClosed();
    }

    /** Nothing came or went for {@code timeouts.clientIdle}: the request in progress decides. */
    void idle() {
        if (phase.onClientIdle()) {
            LOG.debug("{}: client idle, closing", side.channel());
            side.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            idle();
        } else if (evt instanceof ClientRequestDecoder.HeadTimeout late) {
            if (phase == idle) { // else the request in progress goes first: requestDone looks again
                headTimedOut(late.bytesSeen());
            }
        } else if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            captureTls(ctx.pipeline().get(SslHandler.class).engine().getSession());
        }
        ReferenceCountUtil.release(evt);
    }

    private void captureTls(SSLSession session) {
        tlsSessionId = TlsSessions.sessionId(session);
        tlsServerName = ClientHttp2.serverName(session);
        LOG.debug("{}: TLS {} server name '{}' session {}", side.channel(), session.getProtocol(), tlsServerName,
                tlsSessionId);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    // ---- what requests use

    void phase(RequestPhase next) {
        this.phase = next;
    }

    boolean isCurrent(RequestPhase p) {
        return phase == p;
    }

    EventLoop eventLoop() {
        return side.eventLoop();
    }

    /** The client's channel (its addresses for a PROXY protocol header sent on; a {@link Tunnel} takes it over). */
    Channel channel() {
        return side.channel();
    }

    boolean isOpen() {
        return side.isActive();
    }

    boolean isWritable() {
        return side.isWritable();
    }

    /**
     * The client address behind trusted proxies that {@link ClientRequestLimit} found for the head it passes on
     * next (null: the forwarded headers cannot say), so that the request does not walk the headers again.
     */
    void resolvedClient(InetAddress client) {
        resolvedClient = client;
        clientResolved = true;
    }

    InetAddress peer() {
        return peer;
    }

    /** The peer's address as text ({@link InetAddress#getHostAddress()}). */
    String peerText() {
        return peerText;
    }

    /** The forwarded headers last computed on this connection for an untrusted peer and {@code host}, or null. */
    UpstreamRequests.Forwarded lastForwarded(String host) {
        return host.equals(forwardedHost) ? forwarded : null;
    }

    void lastForwarded(String host, UpstreamRequests.Forwarded value) {
        this.forwardedHost = host;
        this.forwarded = value;
    }

    String tlsServerName() {
        return tlsServerName;
    }

    String tlsSessionId() {
        return tlsSessionId;
    }

    /** Asks for the next decoded message (a body piece or the next request). */
    void read() {
        side.read();
    }

    /** Notices the client going away while its request waits on the real server (reads, hands nothing over). */
    void watchForClose() {
        framing.watchForClose();
    }

    /** Writes a response head and flushes it; {@code head} says whether it answers a HEAD request. */
    void writeHead(HttpResponse response, boolean head) {
        framing.answeringHead(head);
        side.writeAndFlush(response);
    }

    /**
     * Writes a response head without flushing it, so that a body piece decoded from the same socket read goes out
     * in the same write: the next {@link #write} flushes both; the caller calls {@link #flushHead()} when no piece
     * follows at once (the read ended, or the client is not writable).
     */
    void writeHeadUnflushed(HttpResponse response, boolean head) {
        framing.answeringHead(head);
        side.write(response);
        headUnflushed = true;
    }

    /** Flushes a head written by {@link #writeHeadUnflushed} if no body piece has flushed it since. */
    void flushHead() {
        if (headUnflushed) {
            headUnflushed = false;
            side.flush();
        }
    }

    void write(HttpObject piece) {
        headUnflushed = false;
        side.writeAndFlush(piece);
    }

    /**
     * The current request is answered in full: read the next one, or close once the bytes are out when the
     * connection must not be kept (or the listener is closing).
     */
    void requestDone(boolean keepAlive) {
        phase = idle;
        if (framing.endHold()) { // bytes came after an upgrade request that was not upgraded: not trusted as HTTP
            keepAlive = false;
        }
        if (keepAlive && !context.closing() && side.isActive()) {
            if (framing.headOverdue()) {
                headTimedOut(true);
            } else {
                side.read();
            }
        } else if (framing.isStream()) {
            side.close(); // after the frames written: a reset when the stream has not ended both ways
        } else {
            side.writeAndClose(Unpooled.EMPTY_BUFFER);
        }
    }

    /**
     * The request head did not arrive within {@code timeouts.requestHead}: 408 and a close when some of it came,
     * a silent close when nothing did (a browser's pre-connected socket gets no answer it would show).
     */
    private void headTimedOut(boolean bytesSeen) {
        phase = new Closed();
        context.clientTimeouts().countRequestHead();
        LOG.debug("{}: request head not in within {}, closing", side.channel(),
                context.settings().timeouts().requestHead());
        if (!bytesSeen) {
            side.close();
            return;
        }
        AccessLog.headTimeout(context, peerText, 408, System.nanoTime() - framing.headStartedNanos());
        ByteBuf body = Unpooled.copiedBuffer("Request Timeout\n", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_TIMEOUT, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        framing.answeringHead(false);
        side.writeAndClose(response);
    }

    /** The listener is closing: close now when no request is in progress (the others close after theirs). */
    void drain() {
        LOG.debug("{}: draining, {}", side.channel(), phase == idle ? "idle" : "busy");
        if (phase == idle) {
            side.close();
        }
    }

    /** Refused and closing: whatever the decoder still hands over is dropped. */
    private static final class Closed implements RequestPhase {
        @Override
        public void onContent(HttpContent content) {
            content.release();
        }

        @Override
        public void onClientClosed() {
        }
    }

    /** Between requests: the empty end of a bodiless request that was already forwarded is skipped. */
    private final class Idle implements RequestPhase {
        @Override
        public void onContent(HttpContent content) {
            boolean failed = content.decoderResult().isFailure();
            content.release();
            if (failed) {
                side.close();
            } else {
                side.read();
            }
        }

        @Override
        public void onClientClosed() {
        }
    }
}
