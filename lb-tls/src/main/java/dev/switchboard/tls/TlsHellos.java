package dev.switchboard.tls;

import dev.switchboard.tls.internal.hello.HelloParser;
import dev.switchboard.tls.internal.hello.HelloResults;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads SNI, ALPN, the legacy session ID and the supported versions from the first bytes of a TLS connection that
 * is passed through (layer 4), and the session ID the server chose from its first bytes. Pure functions on bytes:
 * no I/O, no state, no exceptions for any input; they never read outside the range given.
 *
 * <pre>{@code
 * HelloResult r = TlsHellos.parseClientHello(buffer);    // from position to limit; the position is not moved
 * if (r instanceof HelloResult.NeedMoreBytes) { read more and call again with all bytes so far }
 * if (r instanceof HelloResult.ClientHello hello) { TcpConnection.of(...) with hello.serverName() }
 * }</pre>
 *
 * <p>The hello may be fragmented across records and reads; a host buffers until the result is not
 * {@link HelloResult.NeedMoreBytes} (at most {@link #MAX_HELLO_LENGTH} bytes plus record headers). Thread-safe.
 */
public final class TlsHellos {

    /** The longest hello body accepted; longer ones are {@link HelloResult.Malformed}. */
    public static final int MAX_HELLO_LENGTH = HelloParser.MAX_HELLO_LENGTH;

    private TlsHellos() {
    }

    /** The ClientHello in {@code bytes[offset, offset + length)}. */
    public static HelloResult parseClientHello(byte[] bytes, int offset, int length) {
        return HelloParser.parseClientHello(bytes, offset, length, Values.INSTANCE);
    }

    /** The ClientHello in {@code buffer}'s remaining bytes; the buffer's position is not moved. */
    public static HelloResult parseClientHello(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            return parseClientHello(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return parseClientHello(copy, 0, copy.length);
    }

    /** The ServerHello in {@code bytes[offset, offset + length)}. */
    public static HelloResult parseServerHello(byte[] bytes, int offset, int length) {
        return HelloParser.parseServerHello(bytes, offset, length, Values.INSTANCE);
    }

    /** The ServerHello in {@code buffer}'s remaining bytes; the buffer's position is not moved. */
    public static HelloResult parseServerHello(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            return parseServerHello(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return parseServerHello(copy, 0, copy.length);
    }

    /** Makes what the parser found into {@link HelloResult}s: the parser itself does not know this package. */
    private enum Values implements HelloResults<HelloResult> {
        INSTANCE;

        @Override
        public HelloResult needMoreBytes(int atLeast) {
            return new HelloResult.NeedMoreBytes(atLeast);
        }

        @Override
        public HelloResult notTls(String reason) {
            return new HelloResult.NotTls(reason);
        }

        @Override
        public HelloResult malformed(String reason) {
            return new HelloResult.Malformed(reason);
        }

        @Override
        public HelloResult clientHello(int legacyVersion, String sessionId, String serverName,
                List<String> applicationProtocols, List<Integer> supportedVersions, int length) {
            return new HelloResult.ClientHello(legacyVersion, sessionId, serverName, applicationProtocols,
                    supportedVersions, length);
        }

        @Override
        public HelloResult serverHello(int legacyVersion, String sessionId, int cipherSuite, int selectedVersion,
                String applicationProtocol, boolean helloRetryRequest, int length) {
            return new HelloResult.ServerHello(legacyVersion, sessionId, cipherSuite, selectedVersion,
                    applicationProtocol, helloRetryRequest, length);
        }
    }
}
