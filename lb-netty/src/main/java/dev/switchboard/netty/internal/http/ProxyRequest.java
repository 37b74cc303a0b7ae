package dev.switchboard.netty.internal.http;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.api.Target;
import dev.switchboard.api.UpstreamProtocol;
import dev.switchboard.netty.internal.proxyprotocol.ProxyHeader;
import dev.switchboard.netty.settings.ExpectContinue;
import dev.switchboard.netty.settings.ListenerSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One client request from its head to its answer: checks, dispatch, queueing, connecting (with retries on another
 * real server), and local answers. While a real server holds it, {@link UpstreamExchange} relays the bytes.
 * Event loop only.
 */
final class ProxyRequest implements RequestPhase {

    private static final CompletableFuture<Decision> NOT_QUEUED = CompletableFuture.completedFuture(
            Decision.Respond.of(503, "not queued"));

    private final ClientConnection conn;
    private final ProxyContext context;
    private final ListenerSettings settings; // read once: a reload applies from the next request
    private final HttpRequest head;
    private final NettyRequestView view;
    private final long startNanos = System.nanoTime();
    private long firstByteNanos;
    private final boolean hasBody;
    private final boolean keepAlive;
    private final boolean isHead;
    private CompletableFuture<Decision> queued = NOT_QUEUED;
    private int retries;
    private boolean bodyDone;
    private boolean cancelled;
    private boolean answered;
    private boolean clientResolved;
    private InetAddress client;
    private String upgrade;

    ProxyRequest(ClientConnection conn, ProxyContext context, HttpRequest head) {
        this.conn = conn;
        this.context = context;
        this.settings = context.settings();
        this.head = head;
        this.view = new NettyRequestView(head, context.scheme(), conn.peer(), conn.tlsServerName(),
                conn.tlsSessionId());
        this.hasBody = HttpUtil.isTransferEncodingChunked(head) || HttpUtil.getContentLength(head, 0L) > 0;
        this.keepAlive = HttpUtil.isKeepAlive(head);
        this.isHead = head.method().equals(HttpMethod.HEAD);
        this.bodyDone = !hasBody;
    }

    HttpRequest head() {
        return head;
    }

    NettyRequestView view() {
        return view;
    }

    ProxyContext context() {
        return context;
    }

    /** The client behind trusted proxies, resolved at most once per request; null when the headers cannot say. */
    InetAddress client() {
        if (!clientResolved) {
            resolvedClient(settings.proxies().clientAddress(view));
        }
        return client;
    }

    void resolvedClient(InetAddress client) {
        this.client = client;
        this.clientResolved = true;
    }

    ListenerSettings settings() {
        return settings;
    }

    ClientConnection connection() {
        return conn;
    }

    boolean hasBody() {
        return hasBody;
    }

    boolean isHead() {
        return isHead;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** The {@code Upgrade} value passed on to the real server ({@link Upgrades#offered}), or null for none. */
    String upgrade() {
        return upgrade;
    }

    long startNanos() {
        return startNanos;
    }

    /** Whether the request came on an HTTP/2 stream (its head is the stream's HEADERS as HTTP/1.1 objects). */
    boolean overHttp2() {
        return conn.isStream();
    }

    /** The protocol the client spoke, as the access log writes it: {@code HTTP/1.1}, {@code HTTP/2.0}. */
    String protocol() {
        return conn.isStream() ? "HTTP/2.0" : head.protocolVersion().text();
    }

    /** The real server's response head arrived now (the time to first byte of the access log). */
    void firstByte() {
        firstByteNanos = System.nanoTime();
    }

    /** When the real server's response head arrived ({@link System#nanoTime()}); 0 before. */
    long firstByteNanos() {
        return firstByteNanos;
    }

    boolean accessLogEnabled() {
        return settings.accessLog();
    }

    /** The client's body has been read to its end (always true without a body). */
    void bodyDone() {
        bodyDone = true;
    }

    /** Whether the client waits for {@code 100 Continue} that the real server's answer must provide. */
    boolean relaysContinue() {
        return hasBody && settings.expectContinue() == ExpectContinue.RFC7231 && expectsContinue();
    }

    private boolean expectsContinue() {
        String expect = head.headers().get(HttpHeaderNames.EXPECT);
        return expect != null && expect.trim().equalsIgnoreCase("100-continue")
                && head.protocolVersion().equals(HttpVersion.HTTP_1_1);
    }

    void start() {
        int refusal = RequestChecks.refusal(head);
        ReferenceCountUtil.release(head); // an invalid message may come as a full request with content
        if (refusal != 0) {
            answer(refusal, HttpResponseStatus.valueOf(refusal).reasonPhrase(), List.of(), false);
            return;
        }
        String expect = head.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !expect.trim().equalsIgnoreCase("100-continue")
                && settings.expectContinue() != ExpectContinue.IGNORE) {
            answer(417, "Expectation Failed", List.of(), false);
            return;
        }
        if (head.headers().contains(HttpHeaderNames.UPGRADE)) {
            upgrade = Upgrades.offered(head, Upgrades.allowed(context, settings.virtualService()));
            if (upgrade != null && hasBody) { // what would follow the body: more of it, or the new protocol?
                answer(400, "Bad Request (an upgrade request has no body)", List.of(), false);
                return;
            }
        }
        if (hasBody && expectsContinue() && settings.expectContinue() == ExpectContinue.RFC2616) {
            writeContinue();
        }
        if (LoginPage.serves(this)) {
            return;
        }
        handle(context.engine().dispatch(settings.virtualService(), view));
    }

    /**
     * No virtual service of this address answers for the request's {@code Host} (virtual hosting: no match and no
     * default, or on https another virtual service than the TLS server name chose): 421, after the usual checks.
     */
    void misdirected() {
        int refusal = RequestChecks.refusal(head);
        ReferenceCountUtil.release(head);
        if (refusal != 0) {
            answer(refusal, HttpResponseStatus.valueOf(refusal).reasonPhrase(), List.of(), false);
            return;
        }
        answer(421, "Misdirected Request", List.of(), keepAliveAfterAnswer());
    }

    void handle(Decision decision) {
        if (cancelled) {
            if (decision instanceof Decision.Forward f) {
                f.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, System.nanoTime() - startNanos));
            }
            return;
        }
        if (decision instanceof Decision.Forward f) {
            connect(f);
        } else if (decision instanceof Decision.Redirect r) {
            answer(r.status(), "", List.of(HeaderEdit.set("Location", r.location())), keepAliveAfterAnswer());
        } else if (decision instanceof Decision.Respond r) {
            answer(r.status(), r.reason(), r.headers(), keepAliveAfterAnswer());
        } else if (decision instanceof Decision.Queued q) {
            queued = q.future();
            if (!hasBody) {
                conn.watchForClose(); // a client that gives up waiting cancels its place in the queue
            }
            queued.whenComplete((d, e) -> conn.eventLoop().execute(() -> handle(d != null ? d
                    : Decision.Respond.unavailable("queue cancelled", 1))));
        } else if (decision instanceof Decision.Authenticate a) {
            BasicCheck.start(this, a); // 501 when this proxy has no pre-authentication
        }
    }

    private void connect(Decision.Forward forward) {
        Future<Channel> connecting = acquire(forward);
        if (connecting.isDone()) {
            connected(forward, connecting);
        } else {
            connecting.addListener(f -> connected(forward, connecting));
        }
    }

    /**
     * A connection to the target; one opened with this client's PROXY header when the real server takes one; an
     * HTTP/2 stream when the target is spoken to in h2.
     */
    private Future<Channel> acquire(Decision.Forward forward) {
        Target target = forward.target();
        if (target.upstreamProtocol() == UpstreamProtocol.H2) { // a stream on a shared connection (never PROXY)
            return context.pool().acquireStream(conn.eventLoop(), target.address());
        }
        if (target.proxyProtocol() == ProxyProtocol.NONE) {
            return context.pool().acquire(conn.eventLoop(), target.address());
        }
        Channel client = conn.channel();
        Optional<ProxyHeader> header = ProxyHeader.find(target.proxyProtocol(), client);
        return header.isEmpty() ? conn.eventLoop().newFailedFuture(new ClosedChannelException())
                : context.pool().acquire(conn.eventLoop(), target.address(), header.get(), client);
    }

    private void connected(Decision.Forward forward, Future<Channel> connecting) {
        if (!connecting.isSuccess()) {
            failed(forward, Outcome.Failure.CONNECT, true, 502, 0, 0);
            return;
        }
        Channel upstream = connecting.getNow();
        if (cancelled) {
            forward.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, System.nanoTime() - startNanos));
            context.pool().release(upstream, forward.target().address(), true);
            return;
        }
        UpstreamExchange exchange = new UpstreamExchange(this, forward, upstream);
        conn.phase(exchange);
        exchange.start();
    }

    /**
     * An attempt failed: its lease is released with {@code failure} (passive health sees it), then the request goes
     * to another dispatch when {@code retryable} and retries remain, or is answered with {@code status}.
     */
    void failed(Decision.Forward forward, Outcome.Failure failure, boolean retryable, int status, long in, long out) {
        forward.release(new Outcome(0, failure, System.nanoTime() - startNanos, in, out));
        if (cancelled || !conn.isOpen()) {
            AccessLog.forwarded(this, forward.target(), 499, failure, in, out);
            return;
        }
        if (retryable && retries < settings.limits().maxRetries()) {
            retries++;
            context.engine().retried(forward.target()); // counted on the sub-service whose server failed
            conn.phase(this);
            handle(context.engine().dispatch(settings.virtualService(), view));
            return;
        }
        AccessLog.forwarded(this, forward.target(), status, failure, in, out);
        markLogged();
        answer(status, HttpResponseStatus.valueOf(status).reasonPhrase(), List.of(), keepAliveAfterAnswer());
    }

    /** Whether the client went away while the request waited. */
    boolean cancelled() {
        return cancelled;
    }

    boolean keepAliveAfterAnswer() {
        return keepAlive && bodyDone && !context.closing();
    }

    /** Answers from the gateway: the status, the reason as a short text body, the headers given. */
    void answer(int status, String reason, List<HeaderEdit> headers, boolean keepOpen) {
        if (!answered) {
            AccessLog.local(this, settings.virtualService(), status);
        }
        answered = true;
        conn.phase(this);
        ByteBuf body = reason.isEmpty() ? Unpooled.EMPTY_BUFFER
                : Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), body);
        if (body.isReadable()) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        HeaderEdits.apply(response.headers(), headers);
        if (!keepOpen) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!head.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (conn.isOpen()) {
            conn.writeHead(response, isHead);
        } else {
            response.release();
        }
        conn.requestDone(keepOpen);
    }

    /** The access line for this request is written; a local answer that follows adds none. */
    void markLogged() {
        answered = true;
    }

    /** A 100 Continue towards the client. */
    void writeContinue() {
        conn.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                Unpooled.EMPTY_BUFFER));
    }

    @Override
    public void onContent(HttpContent content) {
        content.release(); // nothing is read while dispatching or connecting; a late piece is dropped
    }

    @Override
    public void onClientClosed() {
        cancelled = true;
        queued.cancel(false);
    }
}
