package dev.switchboard.examples.gateway.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One admin connection: checks access, hands the request to the routes, writes the answer. The work runs on the
 * admin server's own thread, never on an I/O thread (a reload reads a file). An answer may come later (a state
 * change with a {@code wait}): the thread is not held meanwhile, and the connection's next request is taken only
 * once it is written, so pipelined requests are answered in order. Not shared between connections.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** Set while an answer is awaited: the read timeout leaves such a connection open. */
    static final AttributeKey<Boolean> AWAITING = AttributeKey.valueOf("switchboard.admin.awaiting");

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminAccess access;
    private final AdminRoutes routes;
    private final MetricsRoute metrics;
    private final Executor executor;
    /** The last request's answer written (or given up); touched on the channel's event loop only. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    AdminHandler(AdminAccess access, AdminRoutes routes, MetricsRoute metrics, Executor executor) {
        this.access = access;
        this.routes = routes;
        this.metrics = metrics;
        this.executor = executor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        request.retain();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> previous = tail;
        tail = done;
        previous.whenComplete((v, e) -> {
            try {
                executor.execute(() -> start(ctx, request, done));
            } catch (RejectedExecutionException x) { // closing
                request.release();
                ctx.close();
                done.complete(null);
            }
        });
    }

    private void start(ChannelHandlerContext ctx, FullHttpRequest request, CompletableFuture<Void> done) {
        CompletableFuture<AdminResponse> answer;
        try {
            answer = answer(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (!answer.isDone()) {
            ctx.channel().attr(AWAITING).set(true);
        }
        answer.whenComplete((r, e) -> {
            try {
                ctx.channel().attr(AWAITING).set(false);
                respond(ctx, request, r != null ? r : failed(request, e));
            } finally {
                request.release();
                done.complete(null);
            }
        });
    }

    /** A late answer that failed: a bug, or the admin server closing under it. */
    private static AdminResponse failed(FullHttpRequest request, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof AdminError a) {
            return AdminResponse.error(a.status(), a.getMessage());
        }
        if (!(cause instanceof RejectedExecutionException)) {
            LOG.warn("admin: {} {} failed", request.method(), pathOf(request.uri()), cause);
        }
        return AdminResponse.error(500, "internal error (see the gateway's log)");
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, AdminResponse answer) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff");
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        HttpUtil.setContentLength(response, answer.body().length);
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !request.decoderResult().isFailure();
        if (keepAlive) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private CompletableFuture<AdminResponse> answer(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return CompletableFuture.completedFuture(AdminResponse.error(400, "request: malformed HTTP ("
                    + request.decoderResult().cause().getMessage() + ")"));
        }
        try {
            Optional<AdminResponse> refused = access.refuse(request);
            if (refused.isPresent()) {
                LOG.debug("admin: {} {} refused with {}", request.method(), pathOf(request.uri()),
                        refused.get().status());
                return CompletableFuture.completedFuture(refused.get());
            }
            if (MetricsRoute.matches(pathOf(request.uri()))) {
                return CompletableFuture.completedFuture(metrics.answer(request.method().name(),
                        request.headers().get(HttpHeaderNames.ACCEPT)));
            }
            CompletableFuture<AdminResponse> answer = routes.handle(request.method().name(), request.uri(),
                    ByteBufUtil.getBytes(request.content()));
            if (!request.method().name().equals("GET")) {
                String method = request.method().name();
                String path = pathOf(request.uri());
                answer.thenAccept(r -> {
                    if (r.status() < 300) {
                        LOG.info("admin: {} {} -> {}", method, path, r.status());
                    }
                });
            }
            return answer;
        } catch (AdminError e) {
            return CompletableFuture.completedFuture(AdminResponse.error(e.status(), e.getMessage()));
        } catch (RuntimeException e) { // a bug of ours or of the gateway: say so without details, log them
            LOG.warn("admin: {} {} failed", request.method(), pathOf(request.uri()), e);
            return CompletableFuture.completedFuture(AdminResponse.error(500, "internal error (see the gateway's log)"));
        }
    }

    /** The path without the query: the page's query may carry the token, which is never logged. */
    private static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
