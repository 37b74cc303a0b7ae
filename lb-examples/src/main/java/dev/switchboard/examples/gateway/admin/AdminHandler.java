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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One admin connection: checks access, hands the request to the routes, writes the answer. The work runs on the
 * admin server's own thread, never on an I/O thread (a reload reads a file); one thread keeps pipelined requests
 * in order.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminAccess access;
    private final AdminRoutes routes;
    private final Executor executor;

    AdminHandler(AdminAccess access, AdminRoutes routes, Executor executor) {
        this.access = access;
        this.routes = routes;
        this.executor = executor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        request.retain();
        try {
            executor.execute(() -> {
                try {
                    respond(ctx, request);
                } finally {
                    request.release();
                }
            });
        } catch (RejectedExecutionException e) { // closing
            request.release();
            ctx.close();
        }
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request) {
        AdminResponse answer = answer(request);
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

    private AdminResponse answer(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return AdminResponse.error(400, "request: malformed HTTP (" + request.decoderResult().cause().getMessage()
                    + ")");
        }
        try {
            Optional<AdminResponse> refused = access.refuse(request);
            if (refused.isPresent()) {
                LOG.debug("admin: {} {} refused with {}", request.method(), pathOf(request.uri()),
                        refused.get().status());
                return refused.get();
            }
            AdminResponse r = routes.handle(request.method().name(), request.uri(),
                    ByteBufUtil.getBytes(request.content()));
            if (r.status() < 300 && !request.method().name().equals("GET")) {
                LOG.info("admin: {} {} -> {}", request.method(), pathOf(request.uri()), r.status());
            }
            return r;
        } catch (AdminError e) {
            return AdminResponse.error(e.status(), e.getMessage());
        } catch (RuntimeException e) { // a bug of ours or of the gateway: say so without details, log them
            LOG.warn("admin: {} {} failed", request.method(), pathOf(request.uri()), e);
            return AdminResponse.error(500, "internal error (see the gateway's log)");
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
