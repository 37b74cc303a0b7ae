package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.internal.upstream.HeaderFields;
import dev.switchboard.netty.internal.upstream.HeaderLines;
import dev.switchboard.netty.internal.upstream.SelfWritingHead;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import java.util.List;

/**
 * The response head a client gets when no rule or persistence edits it (the common case): the real server's
 * header lines copied into the outgoing buffer as they came, minus the hop-by-hop ones, with the framing and
 * {@code Connection} line of its {@link ResponseFraming}. Same lines as {@link ResponseFraming#apply} leaves in the
 * table, without editing and re-encoding one ({@link ClientResponseEncoder}'s fast path). Its own {@link #headers()}
 * only say the framing. Not for 1xx, 204 and 205, whose heads Netty's encoder adjusts. Event loop only; written
 * once, by the encoder.
 */
final class ClientHead extends DefaultHttpResponse implements SelfWritingHead {

    private static final byte[] HTTP_1_1_SPACE = "HTTP/1.1 ".getBytes(CharsetUtil.US_ASCII);

    private final HttpHeaders upstream;
    private final List<String> connectionTokens;
    private final ResponseFraming framing;

    ClientHead(HttpResponse upstream, ResponseFraming framing) {
        super(HttpVersion.HTTP_1_1, upstream.status(),
                framing.chunkedToClient() ? HeaderLines.CHUNKED_ONLY : EmptyHttpHeaders.INSTANCE);
        this.upstream = upstream.headers();
        this.connectionTokens = UpstreamRequests.connectionTokens(upstream.headers());
        this.framing = framing;
    }

    /** Whether {@code code} may take this path. */
    static boolean eligible(int code) {
        return code >= 200 && code != 204 && code != 205;
    }

    @Override
    public boolean chunked() {
        return framing.chunkedToClient();
    }

    @Override
    public void writeHead(HeaderLines lines) {
        lines.bytes(HTTP_1_1_SPACE).latin1(status().codeAsText()).ascii(' ')
                .latin1(status().reasonPhrase()).crlf();
        lines.lines(upstream, this::keep);
        if (framing.addChunked()) {
            lines.line(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (framing.connection() != null) {
            lines.line(HttpHeaderNames.CONNECTION, framing.connection());
        }
    }

    private boolean keep(CharSequence name, int field) {
        if (UpstreamRequests.hopByHopField(field)) {
            return false;
        }
        if ((framing.addChunked() || framing.dropTransferEncoding()) && (field == HeaderFields.TRANSFER_ENCODING
                || framing.addChunked() && field == HeaderFields.CONTENT_LENGTH)) {
            return false;
        }
        return connectionTokens.isEmpty() || !UpstreamRequests.names(connectionTokens, name);
    }
}
