package dev.switchboard.netty.internal.tcp;

import dev.switchboard.tls.HelloResult;
import dev.switchboard.tls.TlsHellos;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reads the session ID a real server chose from the first bytes it sends, without holding up the relay: the bytes
 * are copied (at most {@link TcpSession#HELLO_LIMIT}) until the ServerHello parses or cannot. Not thread-safe; one
 * per connection, used on its event loop.
 */
final class ServerHelloWatch {

    private ByteBuf seen = Unpooled.EMPTY_BUFFER;
    private int parseAt = 1;
    private boolean done;

    /**
     * Looks at the next bytes from the real server (not consumed). Returns the TLS 1.2 session ID the server chose
     * once it is known, an empty string when there is none (TLS 1.3, not TLS, malformed, too long) or not yet.
     */
    String inspect(ByteBuf bytes) {
        if (done) {
            return "";
        }
        if (seen == Unpooled.EMPTY_BUFFER) {
            seen = Unpooled.buffer(Math.max(256, bytes.readableBytes()));
        }
        seen.writeBytes(bytes, bytes.readerIndex(), Math.min(bytes.readableBytes(),
                TcpSession.HELLO_LIMIT - seen.readableBytes()));
        if (seen.readableBytes() < parseAt) {
            return "";
        }
        HelloResult r = TlsHellos.parseServerHello(seen.array(), seen.arrayOffset() + seen.readerIndex(),
                seen.readableBytes());
        if (r instanceof HelloResult.NeedMoreBytes more && more.atLeast() <= TcpSession.HELLO_LIMIT) {
            parseAt = more.atLeast();
            return "";
        }
        finish();
        return r instanceof HelloResult.ServerHello hello ? hello.resumableSessionId() : "";
    }

    /** Whether the watch has its answer (or gave up). */
    boolean isDone() {
        return done;
    }

    /** Frees the copy. */
    void finish() {
        done = true;
        seen.release();
        seen = Unpooled.EMPTY_BUFFER;
    }
}
