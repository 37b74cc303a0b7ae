package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionLimiter;
import dev.switchboard.netty.settings.ListenerSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A connection refused by a connection limit: its first request is answered with the refusal's status (503 for
 * the virtual service's limit, 429 for the client's), {@code Connection: close} and {@code Retry-After}, then it
 * is closed ({@link LingeringClose} when a body is pending); the request never reaches the engine. A client that
 * sends no request head within {@link #MAX_WAIT} (or its idle timeout, if shorter; a TLS handshake included) is
 * closed without an answer. One access-log line either way. Event loop only.
 */
final class RefusedConnection extends RefusalHandler {

    /** The longest a refused connection is kept waiting for its first request. */
    static final Duration MAX_WAIT = Duration.ofSeconds(5);
    /** What {@code Retry-After} says, in seconds. */
    static final String RETRY_AFTER = "1";

    private LingeringClose closing;

    /** @param wait how long the first request head may take ({@link #waitFor}) */
    RefusedConnection(ConnectionLimiter limiter, Admission why, Duration wait) {
        super(limiter, why, wait.toNanos());
    }

    /** How long a refused connection may take to send its first request head: its idle timeout, at most 5 s. */
    static Duration waitFor(Duration clientIdle) {
        return clientIdle.compareTo(MAX_WAIT) < 0 ? clientIdle : MAX_WAIT;
    }

    /** Makes {@code channel} (TLS already set up, if any) a refused connection of {@code context}'s listener. */
    static void addTo(Channel channel, ProxyContext context, Admission why) {
        ListenerSettings settings = context.settings();
        Duration wait = waitFor(settings.timeouts().clientIdle());
        channel.pipeline()
                .addLast("decoder", new ClientRequestDecoder(ClientInitializer.decoderConfig(settings.limits()),
                        wait.toNanos())) // the refusal's own timer closes it first
                .addLast("encoder", new HttpResponseEncoder())
                .addLast("refused", new RefusedConnection(context.limiter(), why, wait));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing != null) {
            closing.drop(msg);
            return;
        }
        if (!(msg instanceof HttpRequest head)) {
            ReferenceCountUtil.release(msg);
            ctx.read();
            return;
        }
        answering(head.method() + " " + head.uri()); // the lingering close has its own bounds
        boolean isHead = head.method().equals(HttpMethod.HEAD);
        ReferenceCountUtil.release(msg);
        closing = LingeringClose.answer(ctx, head, refusal(why.status(), isHead));
    }

    /**
     * The answer to a refused request: {@code status} with its reason as a short text body (none for HEAD, whose
     * head still says the length), {@code Connection: close} and {@code Retry-After}.
     */
    static FullHttpResponse refusal(int status, boolean head) {
        HttpResponseStatus s = HttpResponseStatus.valueOf(status);
        byte[] text = (s.reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuf body = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(text);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER);
        return response;
    }
}
