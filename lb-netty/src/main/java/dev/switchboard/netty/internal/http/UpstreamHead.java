package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.internal.upstream.HeaderLines;
import dev.switchboard.netty.internal.upstream.UpstreamCodec;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.CharsetUtil;
import java.util.List;

/**
 * The request head a real server gets when the engine asked for no header edits (the common case): the client's
 * header lines are copied into the outgoing buffer as they are, minus those that {@link UpstreamRequests} drops or
 * replaces, with {@code Host} first (then {@code Transfer-Encoding: chunked} for a chunked body: the client's own
 * spelling of it is never passed on), the forwarded headers, then {@code Connection: Upgrade} and {@code Upgrade}
 * for an upgrade that goes on. Same result as {@link UpstreamRequests#build}'s
 * header table, without building and encoding one. Event loop only; written once, by the codec.
 */
final class UpstreamHead extends UpstreamCodec.SelfWritingRequest {

    private static final byte[] SPACE_HTTP_1_1 = " HTTP/1.1".getBytes(CharsetUtil.US_ASCII);

    private final HttpHeaders client;
    private final String host;
    private final List<String> connectionTokens;
    private final boolean dropExpect;
    private final UpstreamRequests.Forwarded forwarded;
    private final String upgrade;

    UpstreamHead(HttpRequest client, String uri, String host, boolean chunked, List<String> connectionTokens,
            boolean dropExpect, UpstreamRequests.Forwarded forwarded, String upgrade, boolean complete) {
        super(client.method(), uri, chunked, complete);
        this.client = client.headers();
        this.host = host;
        this.connectionTokens = connectionTokens;
        this.dropExpect = dropExpect;
        this.forwarded = forwarded;
        this.upgrade = upgrade;
    }

    @Override
    public void writeHead(HeaderLines lines) {
        lines.latin1(method().asciiName()).ascii(' ').uri(uri()).bytes(SPACE_HTTP_1_1)
                .crlf().line(UpstreamRequests.HOST, host);
        if (chunked()) { // the client's Transfer-Encoding lines are not copied: this is how the gateway frames it
            lines.line(UpstreamRequests.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        lines.lines(client, this::keep);
        if (forwarded != null) {
            forwarded.write(lines);
        }
        if (upgrade != null) {
            lines.line(UpstreamRequests.CONNECTION, UpstreamRequests.UPGRADE).line(UpstreamRequests.UPGRADE, upgrade);
        }
    }

    private boolean keep(CharSequence name, int field) {
        int kind = UpstreamRequests.kindOf(field);
        if (kind == UpstreamRequests.HOP_BY_HOP_OR_HOST || kind == UpstreamRequests.FRAMING
                || kind == UpstreamRequests.EXPECT && dropExpect) {
            return false;
        }
        if (kind != UpstreamRequests.OTHER && forwarded != null && forwarded.replaces(kind)) {
            return false;
        }
        return connectionTokens.isEmpty() || !UpstreamRequests.names(connectionTokens, name);
    }
}
