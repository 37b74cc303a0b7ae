package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionLimiter;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * {@link ClientRequestLimit} for the streams of an HTTP/2 connection from a trusted proxy: each stream's request is
 * counted against the client address its forwarded headers give (the connection's client when they cannot say),
 * from its head until its response ends or the stream closes; a request of a client already at
 * {@code limits.maxConnectionsPerClient} is answered 429 with {@code retry-after} and its stream ends (reset if a
 * body was still coming), while the connection's other streams go on. Does nothing on a connection from anyone
 * else. One per connection; event loop only.
 */
final class StreamRequestLimit {

    private final ConnectionLimiter limiter;
    private final boolean counts;
    private final String scheme;
    private final InetAddress peer;

    private StreamRequestLimit(ConnectionLimiter limiter, boolean counts, String scheme, InetAddress peer) {
        this.limiter = limiter;
        this.counts = counts;
        this.scheme = scheme;
        this.peer = peer;
    }

    /** The limit for the streams of {@code connection}, whose client is {@code peer}. */
    static StreamRequestLimit of(Channel connection, ProxyContext context, InetAddress peer) {
        boolean counts = connection.remoteAddress() instanceof InetSocketAddress remote
                && context.limiter().countsRequests(remote.getAddress());
        return new StreamRequestLimit(context.limiter(), counts, context.scheme(), peer);
    }

    /** Counts the request of {@code stream}; false when refused (the refusal is written). */
    boolean admit(ClientStream stream, HttpRequest head) {
        if (!counts) {
            return true;
        }
        InetAddress client = limiter.trustedProxies().clientAddress(new NettyRequestView(head, scheme, peer, "", ""));
        InetAddress counted = client == null ? peer : client;
        if (!limiter.tryAcquireRequest(counted)) {
            limiter.logRefusal(Admission.REFUSED_CLIENT, counted, head.method() + " " + head.uri());
            boolean isHead = head.method().equals(HttpMethod.HEAD);
            ReferenceCountUtil.release(head);
            stream.writeAndClose(RefusedConnection.refusal(Admission.REFUSED_CLIENT.status(), isHead));
            return false;
        }
        stream.counted = counted;
        stream.connection().resolvedClient(client); // the access log reuses it instead of walking the headers again
        return true;
    }

    /** The response of {@code stream} ended, or the stream closed: its count is given back. */
    void release(ClientStream stream) {
        InetAddress client = stream.counted;
        if (client != null) {
            stream.counted = null;
            limiter.releaseRequest(client);
        }
    }
}
