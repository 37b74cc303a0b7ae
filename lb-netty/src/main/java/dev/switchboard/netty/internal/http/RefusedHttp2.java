package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionLimiter;
import dev.switchboard.netty.settings.ListenerSettings;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * A connection refused by a connection limit that speaks HTTP/2 (ALPN {@code h2}, or h2c with prior knowledge):
 * the refusal in frames the client can read. Its first request stream is answered with the refusal's status (503
 * for the virtual service's limit, 429 for the client's), {@code retry-after} and the reason as text, a request
 * body still coming is cut short with RST_STREAM(NO_ERROR) (RFC 9113 8.1), and the connection ends with GOAWAY and
 * closes ({@link LingeringGoAway}: the output first, the socket once the client has closed too); a client that opens
 * no stream within {@link RefusedConnection#waitFor} gets the GOAWAY alone. One access-log line either way, as for
 * an HTTP/1.1 refusal ({@link RefusedConnection}). Not sharable: one per connection, on its loop.
 */
final class RefusedHttp2 extends RefusalHandler {

    private RefusedHttp2(ConnectionLimiter limiter, Admission why, long waitNanos) {
        super(limiter, why, waitNanos);
    }

    /** Makes {@code ch} (TLS set up and {@code h2} agreed, or the h2c preface seen) a refused HTTP/2 connection. */
    static void addTo(Channel ch, ProxyContext context, Admission why) {
        ListenerSettings settings = context.settings();
        ch.pipeline()
                .addLast("linger", new LingeringGoAway())
                .addLast("h2", ClientHttp2.codec(settings, settings.http2Limits()))
                .addLast("refused", new RefusedHttp2(context.limiter(), why,
                        RefusedConnection.waitFor(settings.timeouts().clientIdle()).toNanos()));
        ch.config().setAutoRead(true);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx); // a late first stream: GOAWAY, then close
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (answered() || !(msg instanceof Http2HeadersFrame head)) {
            ReferenceCountUtil.release(msg); // SETTINGS, PING, WINDOW_UPDATE: the codec has answered them
            return;
        }
        CharSequence method = head.headers().method();
        CharSequence path = head.headers().path();
        answering(method + " " + path);
        HttpResponseStatus status = HttpResponseStatus.valueOf(why.status());
        byte[] text = (status.reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8);
        boolean bodiless = "HEAD".contentEquals(method == null ? "" : method);
        Http2Headers headers = new DefaultHttp2Headers()
                .status(status.codeAsText())
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length)
                .set(HttpHeaderNames.RETRY_AFTER, RefusedConnection.RETRY_AFTER);
        ChannelFuture sent = ctx.write(new DefaultHttp2HeadersFrame(headers, bodiless).stream(head.stream()));
        if (!bodiless) {
            sent = ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(text), true).stream(head.stream()));
        }
        ctx.flush();
        boolean bodyComing = !head.isEndStream();
        sent.addListener(f -> { // once the answer is out (a reset before would drop what is queued of it)
            if (bodyComing && f.isSuccess()) { // the body is not wanted: the stream ends both ways now
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR).stream(head.stream()));
            }
            ctx.close(); // GOAWAY naming this stream the last one, then the connection closes
        });
    }
}
