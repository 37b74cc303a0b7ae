package dev.switchboard.netty.internal.upstream;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;

/**
 * The response decoder of a connection to a real server ({@link Http1Decoder}), paired with the request encoder
 * like {@code HttpClientCodec}: the encoder queues each request's method, and a final response to {@code HEAD}
 * has no body whatever its head announces; nor has a {@code 1xx}, {@code 204} or {@code 304}. A {@code 101} ends
 * HTTP on the connection when it switches to anything but HTTP/1.x: what follows goes on as {@code ByteBuf}s. A
 * header name must end at its colon: whitespace before it (RFC 9112 section 5.1 forbids it; HAProxy refuses it by
 * default) or a line without a colon is a decoding failure, which the exchange answers 502 with a PROTOCOL failure.
 * Not thread-safe: one per channel.
 */
final class ResponseDecoder extends Http1Decoder {

    private static final HttpResponseStatus UNKNOWN = new HttpResponseStatus(999, "Unknown");

    private final ArrayDeque<HttpMethod> methods;

    /** @param methods the methods of requests sent and not answered yet, oldest first (the encoder adds them) */
    ResponseDecoder(HttpDecoderConfig config, ArrayDeque<HttpMethod> methods) {
        super(config);
        this.methods = methods;
    }

    @Override
    protected HttpMessage startLine(byte[] line, int end, LineHeaders headers) {
        return StartLines.response(line, end, headers);
    }

    @Override
    protected HttpMessage failed(HttpMessage partial, Exception cause) {
        return partial != null ? partial
                : new DefaultFullHttpResponse(HttpVersion.HTTP_1_0, UNKNOWN, Unpooled.EMPTY_BUFFER);
    }

    @Override
    protected boolean isRequest() {
        return false;
    }

    @Override
    protected boolean bodyless(HttpMessage head) {
        HttpResponseStatus status = ((HttpResponse) head).status();
        if (status.codeClass() == HttpStatusClass.INFORMATIONAL) {
            return true; // an interim answer (or a 101) does not end the request
        }
        HttpMethod method = methods.poll();
        int code = status.code();
        return code == 204 || code == 304 || HttpMethod.HEAD.equals(method);
    }

    @Override
    protected boolean switchesProtocol(HttpMessage head) {
        if (((HttpResponse) head).status().code() != 101) {
            return false;
        }
        String protocol = head.headers().get(HttpHeaderNames.UPGRADE);
        return protocol == null || !protocol.contains("HTTP/1.0") && !protocol.contains("HTTP/1.1");
    }
}
