package dev.switchboard.netty.internal.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * How a real server's response head is fitted to the client's connection: hop-by-hop headers go; a body that ends
 * when the server closes is chunked for an HTTP/1.1 client (or ends the client's connection too for HTTP/1.0); a
 * chunked body to an HTTP/1.0 client loses its Transfer-Encoding and ends the connection; {@code Connection:
 * close} or {@code keep-alive} as the client's connection needs. Computed once, then applied to the head's header
 * table ({@link #apply}) or written by {@link ClientHead}. Immutable.
 *
 * @param upstreamKeepAlive whether the real server's connection can go back to the pool after this response
 * @param clientKeepAlive whether the client's connection stays open after this response
 * @param addChunked the body goes to the client chunked although the server did not chunk it
 * @param dropTransferEncoding the server's chunked framing is not passed on (HTTP/1.0 client)
 * @param chunkedToClient the body leaves in chunked framing
 * @param connection the {@code Connection} value to send, or {@code null} for none
 */
record ResponseFraming(boolean upstreamKeepAlive, boolean clientKeepAlive, boolean addChunked,
        boolean dropTransferEncoding, boolean chunkedToClient, AsciiString connection) {

    static ResponseFraming of(HttpResponse head, ProxyRequest request, boolean requestSent) {
        int code = head.status().code();
        boolean upstreamKeepAlive = HttpUtil.isKeepAlive(head);
        boolean http11 = request.head().protocolVersion().equals(HttpVersion.HTTP_1_1);
        boolean bodiless = request.isHead() || code == 204 || code == 304;
        boolean chunked = HttpUtil.isTransferEncodingChunked(head);
        boolean clientKeepAlive = request.keepAlive() && requestSent && !request.context().closing();
        boolean addChunked = false;
        boolean dropTransferEncoding = false;
        if (!bodiless && !chunked && !head.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            upstreamKeepAlive = false; // the body ends when the server closes
            if (http11) {
                addChunked = true;
            } else {
                clientKeepAlive = false;
            }
        } else if (chunked && !http11 && !bodiless) {
            dropTransferEncoding = true;
            clientKeepAlive = false;
        }
        AsciiString connection = !clientKeepAlive ? HttpHeaderValues.CLOSE
                : !http11 ? HttpHeaderValues.KEEP_ALIVE : null;
        return new ResponseFraming(upstreamKeepAlive, clientKeepAlive, addChunked, dropTransferEncoding,
                addChunked || chunked && !dropTransferEncoding, connection);
    }

    /** Fits {@code head} (its table and version) to the client's connection. */
    void apply(HttpResponse head) {
        HttpHeaders h = head.headers();
        UpstreamRequests.removeHopByHop(h);
        if (addChunked) {
            HttpUtil.setTransferEncodingChunked(head, true);
        } else if (dropTransferEncoding) {
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
        head.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (connection != null) {
            h.set(HttpHeaderNames.CONNECTION, connection);
        }
    }
}
