package dev.switchboard.netty.internal.upstream;

/**
 * An HTTP/1.1 head that writes its own start line and header lines ({@link Http1Encoder}'s fast path) instead of
 * being encoded from a header table. Event loop only: written once, by the encoder of its channel.
 */
public interface SelfWritingHead {

    /** Writes the start line and every header line, each ending in CRLF, but not the empty line. */
    void writeHead(HeaderLines lines);

    /** Whether the body that follows is sent chunked (else as it comes: a length, or up to the close). */
    boolean chunked();

    /**
     * Whether nothing follows the head, not even an empty last piece: the head is the whole message (a request
     * without a body). False by default: body pieces follow, up to a {@code LastHttpContent}.
     */
    default boolean complete() {
        return false;
    }
}
