package dev.switchboard.netty.internal.http;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * What a {@link ClientConnection} does to the client beneath it: the channel of an HTTP/1.1 connection
 * ({@link ContextSide}), or one HTTP/2 stream of a connection ({@link ClientStream}), which reads and writes frames on
 * the connection's handler without a channel of its own. Writes take the HTTP/1.1 message objects and never report
 * back (a write that fails closes the connection or resets the stream). Event loop only.
 */
interface ClientSide {

    EventLoop eventLoop();

    /** The client's connection (for a stream, the connection that carries it). */
    Channel channel();

    /** Whether the client can still be read from and written to. */
    boolean isActive();

    /** Whether a write now would not queue beyond the client's window or the socket's buffer. */
    boolean isWritable();

    /** Asks for the next message: one is handed to {@link ClientConnection#received} when there is one. */
    void read();

    void write(Object msg);

    void writeAndFlush(Object msg);

    void flush();

    /** Writes {@code msg}, then closes once it is out. */
    void writeAndClose(Object msg);

    /** Closes: the connection, or the stream (a reset when it has not ended both ways). */
    void close();
}
