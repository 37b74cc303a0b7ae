package dev.switchboard.netty.internal.tcp;

import dev.switchboard.tls.HelloResult;
import dev.switchboard.tls.TlsHellos;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes a client sent before its connection is relayed, and what their ClientHello says (SNI, session ID). The
 * hello is parsed again only once enough bytes for the parser's last answer are there, and given up on past
 * {@link TcpSession#HELLO_LIMIT}. Not thread-safe; one per connection, used on its event loop.
 */
final class ClientHelloSniff {

    private static final Logger LOG = LoggerFactory.getLogger(ClientHelloSniff.class);

    private ByteBuf bytes = Unpooled.EMPTY_BUFFER;
    private int parseAt = 1;
    private boolean tls;
    private String serverName = "";
    private String sessionId = "";

    /** Keeps {@code in} (released here) for the replay. */
    void append(ByteBufAllocator alloc, ByteBuf in) {
        if (bytes == Unpooled.EMPTY_BUFFER) {
            bytes = alloc.heapBuffer(Math.max(512, in.readableBytes()));
        }
        bytes.writeBytes(in);
        in.release();
    }

    /**
     * Parses the bytes so far, when there may be enough. Returns true when sniffing is over: a ClientHello was read,
     * or the bytes are not TLS, malformed, or longer than the limit.
     */
    boolean parse(Object connection) {
        if (bytes.readableBytes() < parseAt) {
            return false;
        }
        HelloResult r = TlsHellos.parseClientHello(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(),
                bytes.readableBytes());
        if (r instanceof HelloResult.NeedMoreBytes more) {
            if (more.atLeast() <= TcpSession.HELLO_LIMIT) {
                parseAt = more.atLeast();
                return false;
            }
            LOG.debug("{}: hello needs {} bytes, more than {}; dispatching without it", connection, more.atLeast(),
                    TcpSession.HELLO_LIMIT);
        } else if (r instanceof HelloResult.ClientHello hello) {
            tls = true;
            serverName = hello.serverName();
            sessionId = hello.sessionId();
        } else if (r instanceof HelloResult.Malformed bad) {
            LOG.debug("{}: malformed ClientHello ({}); passing the bytes on without TLS information", connection,
                    bad.reason());
        }
        return true;
    }

    /** Whether a ClientHello was read. */
    boolean isTls() {
        return tls;
    }

    /** The SNI, empty when none was read. */
    String serverName() {
        return serverName;
    }

    /** The session ID offered (lower-case hex), empty when none. */
    String sessionId() {
        return sessionId;
    }

    /** How many bytes are kept. */
    int size() {
        return bytes.readableBytes();
    }

    /** Hands the kept bytes over (the caller releases them); nothing is kept afterwards. */
    ByteBuf take() {
        ByteBuf out = bytes;
        bytes = Unpooled.EMPTY_BUFFER;
        return out;
    }

    /** Frees the kept bytes. */
    void release() {
        take().release();
    }
}
