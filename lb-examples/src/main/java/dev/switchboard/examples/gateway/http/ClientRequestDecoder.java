package dev.switchboard.examples.gateway.http;

import dev.switchboard.examples.gateway.upstream.KnownHeaderNames;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.AsciiString;

/**
 * Netty's request decoder, handing out shared instances of the header names that browsers and HTTP clients send
 * on nearly every request ({@link KnownHeaderNames}) instead of a new copy per header line. Not thread-safe: one
 * per channel.
 */
final class ClientRequestDecoder extends HttpRequestDecoder {

    ClientRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        AsciiString known = KnownHeaderNames.find(sb, start, length);
        return known != null ? known : super.splitHeaderName(sb, start, length);
    }
}
