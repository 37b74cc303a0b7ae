package dev.switchboard.netty.internal.http;

import dev.switchboard.api.Address;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Outcome;
import dev.switchboard.netty.internal.upstream.SelfWritingHead;
import dev.switchboard.netty.internal.upstream.UpstreamListener;
import dev.switchboard.netty.internal.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * One attempt of a request on one real server's connection: streams the request body up and the response down,
 * one piece at a time, reading the next piece from one side only when the other side can take it (so neither body
 * is ever held in memory). Releases the lease exactly once: with the status at the end of the response, or with
 * the failure (CONNECT, RESET, TIMEOUT, PROTOCOL, CANCELLED for the client's doing), or, after a {@code 101} that
 * answers the upgrade the request offered, hands both connections and the lease to a {@link Tunnel}, which releases
 * it when the tunnel closes. Event loop only: the client
 * connection and the upstream connection share one loop.
 */
final class UpstreamExchange implements RequestPhase, UpstreamListener {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UpstreamExchange.class);

    private final ProxyRequest request;
    private final ClientConnection conn;
    private final Decision.Forward lease;
    private final Channel upstream;
    private final Address address;
    private final FirstByteTimer firstByte;
    private RequestBodyRate bodyRate;
    private boolean requestSent;
    private boolean bodyStarted;
    private boolean responseStarted;
    /** From the request's start to the real server's response head (time to first byte); 0 before it. */
    private long firstByteNanos;
    private boolean continueRelayed;
    private boolean interimEnd;
    private boolean responseKeepAlive;
    private boolean clientKeepAlive;
    private boolean waitingClient;
    private boolean waitingUpstream;
    private boolean done;
    private int status;
    private long bytesIn;
    private long bytesOut;

    UpstreamExchange(ProxyRequest request, Decision.Forward lease, Channel upstream) {
        this.request = request;
        this.conn = request.connection();
        this.lease = lease;
        this.upstream = upstream;
        this.address = lease.target().address();
        this.firstByte = FirstByteTimer.of(upstream);
    }

    void start() {
        LOG.debug("{} -> {} on {}", request.view(), lease.target().server(), upstream);
        request.context().pool().attach(upstream, this);
        HttpRequest out;
        try {
            out = UpstreamRequests.build(request, lease, request.settings(), request.context().scheme());
        } catch (IllegalArgumentException e) { // a header rule produced a value HTTP cannot carry: configuration
            LOG.debug("{}: cannot build the request for {}: {}", request.view(), lease.target(), e.getMessage());
            end(Outcome.Failure.CANCELLED, 500);
            request.context().pool().release(upstream, address, true);
            request.answer(500, "Internal Server Error", List.of(), false);
            return;
        }
        if (request.hasBody()) {
            upstream.writeAndFlush(out, upstream.voidPromise());
            watchBodyRate();
            conn.read();
        } else {
            boolean whole = out instanceof SelfWritingHead head && head.complete(); // no empty end after it
            if (!whole) {
                upstream.write(out, upstream.voidPromise());
            }
            upstream.writeAndFlush(whole ? out : LastHttpContent.EMPTY_LAST_CONTENT, upstream.voidPromise());
            requestSent = true;
            armFirstByte();
            conn.watchForClose();
        }
        upstream.read();
    }

    // ---- the client's side

    @Override
    public void onContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) { // invalid chunked framing from the client
            content.release();
            clientFault(400);
            return;
        }
        bodyStarted = true;
        int size = content.content().readableBytes();
        bytesIn += size;
        boolean last = content instanceof LastHttpContent;
        upstream.writeAndFlush(content, upstream.voidPromise());
        if (last) {
            stopBodyRate();
            requestSent = true;
            request.bodyDone();
            if (!responseStarted) {
                armFirstByte();
            }
            conn.watchForClose();
        } else {
            bodyRate.start(); // the first piece starts the clock of a body that waited for 100 Continue
            bodyRate.add(size);
            if (upstream.isWritable()) {
                conn.read();
            } else {
                waitingUpstream = true;
                bodyRate.pause();
            }
        }
    }

    /**
     * Times the request body against {@code timeouts.requestBodyMinRate}: from now, or, when the client waits for
     * the real server's {@code 100 Continue}, from the first piece or the relayed 100.
     */
    private void watchBodyRate() {
        var timeouts = request.settings().timeouts();
        bodyRate = new RequestBodyRate(this, conn.eventLoop(), timeouts.requestBodyWindow().toNanos(),
                timeouts.requestBodyMinBytesPerWindow());
        if (!request.relaysContinue()) {
            bodyRate.start();
        }
    }

    /** The request body came slower than {@code timeouts.requestBodyMinRate}: 408, or a close once answering. */
    void bodyTooSlow() {
        if (done || requestSent) {
            return;
        }
        LOG.debug("{}: request body slower than {} bytes/s, cutting", request.view(),
                request.settings().timeouts().requestBodyMinRate());
        request.context().clientTimeouts().countRequestBody();
        clientFault(408);
    }

    @Override
    public void onClientWritable() {
        if (waitingClient && !done) {
            waitingClient = false;
            upstream.read();
        }
    }

    @Override
    public boolean onClientIdle() {
        return !(requestSent && !responseStarted); // waiting for the first byte is the first-byte timer's business
    }

    @Override
    public void onClientClosed() {
        if (done) {
            return;
        }
        end(Outcome.Failure.CANCELLED, 499);
        request.context().pool().release(upstream, address, false);
    }

    // ---- the real server's side

    @Override
    public void onMessage(Object message) {
        LOG.debug("{} <- {} {}", request.view(), upstream, message.getClass().getSimpleName());
        if (done) {
            ReferenceCountUtil.release(message);
        } else if (message instanceof HttpResponse head) {
            ReferenceCountUtil.release(message); // a full response only comes from a decoding failure
            onResponseHead(head);
        } else if (message instanceof HttpContent content) {
            onResponseContent(content);
        } else {
            ReferenceCountUtil.release(message);
        }
    }

    private void onResponseHead(HttpResponse head) {
        if (head.decoderResult().isFailure()) {
            serverFault(Outcome.Failure.PROTOCOL);
            return;
        }
        int code = head.status().code();
        if (code < 200) {
            if (code == 101) {
                switchProtocols(head);
                return;
            }
            if (code == 100 && request.relaysContinue() && !continueRelayed && !requestSent) {
                continueRelayed = true;
                request.writeContinue();
                bodyRate.start();
            }
            interimEnd = true;
            upstream.read();
            return;
        }
        firstByte.disarm(this);
        request.firstByte(); // one clock read for the access log and the outcome's time to first byte
        responseStarted = true;
        firstByteNanos = request.firstByteNanos() - request.startNanos();
        status = code;
        List<HeaderEdit> edits = lease.onResponse(new NettyResponseView(head));
        ResponseFraming framing = ResponseFraming.of(head, request, requestSent);
        responseKeepAlive = framing.upstreamKeepAlive();
        clientKeepAlive = framing.clientKeepAlive();
        HttpResponse out = head;
        if (edits.isEmpty() && ClientHead.eligible(code) && !request.overHttp2()) { // h2: frames, not lines
            out = new ClientHead(head, framing);
        } else {
            framing.apply(head);
            try {
                HeaderEdits.apply(head.headers(), edits);
            } catch (IllegalArgumentException e) {
                editFailed(e);
                return;
            }
        }
        // The head waits for the body pieces that the same socket read brought (a small response then leaves in
        // one write): the first piece flushes it, or the end of the read does (onReadComplete), or back-pressure
        // does (demandResponse), so a slow body never holds the head back.
        conn.writeHeadUnflushed(out, request.isHead());
        demandResponse();
    }

    /**
     * A {@code 101}: a tunnel when the request offered an upgrade and the server switched to one of the protocols
     * offered; else a 502 (a 101 nobody asked for, or to a protocol nobody offered, e.g. h2c).
     */
    private void switchProtocols(HttpResponse head) {
        String offered = request.upgrade();
        String answered = head.headers().get(HttpHeaderNames.UPGRADE);
        if (offered == null || !requestSent || !Upgrades.accepts(offered, answered)) {
            LOG.debug("{}: 101 to {} from {} (offered {}): not passed on", request.view(), answered,
                    lease.target(), offered);
            serverFault(Outcome.Failure.PROTOCOL);
            return;
        }
        done = true;
        firstByte.disarm(this);
        responseStarted = true;
        status = 101;
        HttpResponse out;
        try {
            out = Tunnel.answer(head, lease.onResponse(new NettyResponseView(head)));
        } catch (IllegalArgumentException e) {
            editFailed(e);
            return;
        }
        lease.onTunnel();
        Tunnel.open(request, lease, upstream, out);
    }

    /** A response rule produced a value HTTP cannot carry (configuration): 500, nothing of the response sent. */
    private void editFailed(IllegalArgumentException e) {
        LOG.debug("{}: cannot edit the response of {}: {}", request.view(), lease.target(), e.getMessage());
        responseStarted = false;
        end(Outcome.Failure.CANCELLED, 500);
        request.context().pool().release(upstream, address, false);
        request.answer(500, "Internal Server Error", List.of(), false);
    }

    private void onResponseContent(HttpContent content) {
        if (!responseStarted) {
            boolean end = interimEnd && content instanceof LastHttpContent && !content.decoderResult().isFailure();
            content.release();
            if (end) {
                interimEnd = false;
                upstream.read();
            } else {
                serverFault(Outcome.Failure.PROTOCOL);
            }
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            serverFault(Outcome.Failure.PROTOCOL);
            return;
        }
        bytesOut += content.content().readableBytes();
        conn.write(content);
        if (content instanceof LastHttpContent) {
            responseComplete();
        } else {
            demandResponse();
        }
    }

    private void demandResponse() {
        if (conn.isWritable()) {
            upstream.read();
        } else {
            waitingClient = true;
            conn.flushHead();
        }
    }

    @Override
    public void onReadComplete() {
        conn.flushHead();
    }

    private void responseComplete() {
        end(Outcome.Failure.NONE, status);
        request.context().pool().release(upstream, address, responseKeepAlive && requestSent);
        conn.requestDone(clientKeepAlive && requestSent);
    }

    @Override
    public void onWritable() {
        if (waitingUpstream && !done) {
            waitingUpstream = false;
            bodyRate.start();
            conn.read();
        }
    }

    @Override
    public void onIdle() {
        if (done || requestSent && !responseStarted) {
            return; // the first-byte timer decides while the server thinks
        }
        boolean clientIsSlow = waitingClient || !requestSent && !waitingUpstream;
        if (clientIsSlow) {
            clientFault(408);
        } else {
            serverFault(Outcome.Failure.TIMEOUT);
        }
    }

    @Override
    public void onClosed() {
        if (!done) {
            serverFault(Outcome.Failure.RESET);
        }
    }

    // ---- endings

    private void armFirstByte() {
        long nanos = request.settings().timeouts().firstByte().toNanos();
        firstByte.arm(this, nanos);
    }

    void firstByteTimeout() {
        if (!done && !responseStarted) {
            serverFault(Outcome.Failure.TIMEOUT);
        }
    }

    /**
     * The real server failed (closed, timed out, answered garbage). Before any response byte reached the client the
     * request may go to another server (bodiless idempotent ones only, since a body is not kept) or is answered with
     * 502/504; after it, the client's connection is closed, since its response cannot be completed.
     */
    private void serverFault(Outcome.Failure failure) {
        done = true;
        firstByte.disarm(this);
        stopBodyRate();
        request.context().pool().release(upstream, address, false);
        if (!responseStarted) {
            boolean retryable = failure == Outcome.Failure.RESET && !bodyStarted && !request.hasBody()
                    && (idempotent(request.head().method()) || UpstreamPool.refusedStream(upstream));
            request.failed(lease, failure, retryable, failure == Outcome.Failure.TIMEOUT ? 504 : 502, bytesIn,
                    bytesOut);
        } else {
            lease.release(new Outcome(status, failure, System.nanoTime() - request.startNanos(), bytesIn, bytesOut,
                    firstByteNanos));
            AccessLog.forwarded(request, lease.target(), status, failure, bytesIn, bytesOut);
            conn.requestDone(false);
        }
    }

    /** The client misbehaved (bad chunk, too slow): the server is not to blame, its lease ends CANCELLED. */
    private void clientFault(int answer) {
        end(Outcome.Failure.CANCELLED, responseStarted ? status : answer);
        request.context().pool().release(upstream, address, false);
        if (responseStarted) {
            conn.requestDone(false);
        } else {
            request.answer(answer, io.netty.handler.codec.http.HttpResponseStatus.valueOf(answer).reasonPhrase(),
                    List.of(), false);
        }
    }

    private void end(Outcome.Failure failure, int logged) {
        done = true;
        firstByte.disarm(this);
        stopBodyRate();
        lease.release(new Outcome(failure == Outcome.Failure.NONE || responseStarted ? status : 0, failure,
                System.nanoTime() - request.startNanos(), bytesIn, bytesOut, firstByteNanos));
        AccessLog.forwarded(request, lease.target(), logged, failure, bytesIn, bytesOut);
        request.markLogged();
    }

    private void stopBodyRate() {
        if (bodyRate != null) {
            bodyRate.stop();
        }
    }

    private static boolean idempotent(HttpMethod m) {
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
                || m.equals(HttpMethod.TRACE) || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE);
    }
}
