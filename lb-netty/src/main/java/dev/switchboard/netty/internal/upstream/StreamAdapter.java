package dev.switchboard.netty.internal.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;

/**
 * Fits one HTTP/2 stream to a real server to what the proxy's exchange expects of an HTTP/1.1 connection: a
 * response that came whole in one HEADERS frame (a {@code 100}, a bodiless answer, a gRPC trailers-only answer) is
 * handed on as a head and a last piece, a gRPC status in such a head becomes a trailer (so that clients see the usual
 * HEADERS-DATA-trailers shape, and an HTTP/1.1 client gets chunked trailers), and the {@code x-http2-stream-id}
 * that Netty's conversion adds is dropped. Outgoing, every request says {@code te: trailers} (the gateway passes
 * trailers on). Remembers whether the server refused the stream unprocessed (a GOAWAY whose last stream id is below
 * it, RST_STREAM(REFUSED_STREAM), or a HEADERS frame that could not be written): such a request may go to another
 * connection whatever its method. Not sharable: one per stream, on its channel's loop.
 */
final class StreamAdapter extends ChannelDuplexHandler {

    private static final AsciiString STREAM_ID = HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text();
    private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
    private static final AsciiString[] GRPC_TRAILERS = {GRPC_STATUS, AsciiString.cached("grpc-message"),
        AsciiString.cached("grpc-status-details-bin")};
    private static final AsciiString GRPC_TYPE = AsciiString.cached("application/grpc");

    private boolean refused;

    /** Whether the real server did not process the stream of {@code upstream} (see the class comment). */
    static boolean refused(Channel upstream) {
        StreamAdapter adapter = upstream.pipeline().get(StreamAdapter.class);
        return adapter != null && adapter.refused;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpResponse full) {
            HttpResponse head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers());
            LastHttpContent last = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
            head.headers().remove(STREAM_ID);
            if (isGrpc(head.headers())) {
                for (AsciiString name : GRPC_TRAILERS) {
                    String value = head.headers().get(name);
                    if (value != null) {
                        last.trailingHeaders().set(name, value);
                        head.headers().remove(name);
                    }
                }
            }
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(last);
            return;
        }
        if (msg instanceof HttpResponse head) {
            head.headers().remove(STREAM_ID);
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isGrpc(HttpHeaders h) {
        String type = h.get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && h.contains(GRPC_STATUS) && AsciiString.regionMatches(type, true, 0, GRPC_TYPE, 0,
                GRPC_TYPE.length());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2GoAwayFrame) { // only streams above the last stream id get it
            refused = true;
        } else if (evt instanceof Http2ResetFrame reset && reset.errorCode() == Http2Error.REFUSED_STREAM.code()) {
            refused = true;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * A read given back window: Netty's stream channel writes the WINDOW_UPDATE for the bytes taken so far when a read
     * is asked for, but flushes it only when the read finds a frame or completes; a read asked for while the stream
     * waits for frames would leave it unflushed, and the server waits for it: a stall. So flush the connection.
     */
    @Override
    public void read(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.channel().parent().flush();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof HttpRequest request)) {
            ctx.write(msg, promise);
            return;
        }
        request.headers().set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        ChannelPromise sent = promise.isVoid() ? ctx.newPromise() : promise;
        sent.addListener(f -> {
            if (!f.isSuccess()) { // no stream could be made (the connection went away first): nothing was processed
                refused = true;
                ctx.channel().close();
            }
        });
        ctx.write(msg, sent);
    }
}
